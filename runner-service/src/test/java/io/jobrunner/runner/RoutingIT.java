package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Types, exclude and globs route each job type to the groups that serve it, and only to them. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class RoutingIT {

    @Test
    void typesExcludeAndGlobsRouteTypesToTheirGroups(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner.groups {
                  images { slots = 2, types = ["img*"], exclude = ["imgHuge"] }
                  heavy  { slots = 1, types = ["imgHuge", "transcode"] }
                  other  { slots = 2, types = ["*"], exclude = ["img*", "transcode", "never*"] }
                }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
            runner.start();
            List<Job> jobs = new ArrayList<>();
            for (String type : List.of("imgSmall", "imgLarge", "imgHuge", "transcode", "sendMail", "refreshLinks", "neverServed")) {
                for (int i = 0; i < 10; i++) {
                    jobs.add(Job.of(type).inDomain(i % 2 == 0 ? "d1" : "d2"));
                }
            }
            client.producer().push(jobs);

            await().atMost(Duration.ofSeconds(10)).until(() -> executor.count() == 60);

            assertThat(executor.runs).allSatisfy(r -> assertThat(r.thread()).startsWith(switch (r.type()) {
                case "imgSmall", "imgLarge" -> "slot-images-";
                case "imgHuge", "transcode" -> "slot-heavy-";
                default -> "slot-other-";
            }));
            assertThat(executor.runs).noneMatch(r -> r.type().equals("neverServed"));
            assertThat(client.inspector().counts(List.of(new QueueName("d1", "neverServed"), new QueueName("d2", "neverServed"))))
                    .allMatch(c -> c.ready() == 5);
        }
    }
}
