package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every pushed job runs exactly once when nothing crashes: thousands of jobs, several types, domains and groups. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class DeliveryIT {

    @Test
    void everyJobRunsExactlyOnce(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        MetricRegistry metrics = new MetricRegistry();
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner {
                  claim-batch = 16
                  groups {
                    mail   { slots = 3, types = ["sendMail"] }
                    html   { slots = 4, types = ["html*"], low-priority = ["htmlCacheUpdate"] }
                    rest   { slots = 2, types = ["*"], exclude = ["sendMail", "html*"] }
                  }
                }
                """), client, metrics, ExecutorLookup.of(Map.of("*", executor)));
        runner.start();
        try {
            List<String> types = List.of("sendMail", "htmlCacheUpdate", "htmlLinks", "refreshLinks", "thumbnail");
            List<String> domains = List.of("enwiki", "dewiki", "frwiki", "commons");
            Set<String> pushed = new HashSet<>();
            AtomicInteger n = new AtomicInteger();
            for (int round = 0; round < 5; round++) { // pushed in rounds, while the runner drains
                List<Job> batch = new ArrayList<>();
                for (String type : types) {
                    for (String domain : domains) {
                        for (int i = 0; i < 20; i++) {
                            batch.add(Job.of(type).inDomain(domain).withParams(
                                    io.jobrunner.client.JobCodec.mapper().createObjectNode().put("n", n.incrementAndGet())));
                        }
                    }
                }
                client.producer().push(batch);
                batch.forEach(j -> pushed.add(j.id()));
            }
            assertThat(pushed).hasSize(2000);

            await().atMost(Duration.ofSeconds(30)).until(() -> executor.runsById.keySet().containsAll(pushed)
                    && runner.status().current().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> allEmpty(client, types, domains));

            assertThat(executor.runsById).hasSize(2000);
            assertThat(executor.runsById.values()).allMatch(c -> c.get() == 1);
            assertThat(executor.runs).allMatch(r -> r.attempt() == 1);
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "sendMail")).getCount()).isEqualTo(400);
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_claimed", "type", "sendMail")).getCount()).isEqualTo(400);
            assertThat(metrics.timer(MetricName.of("jobrunner_job_pickup_delay_seconds", "type", "sendMail")).getCount()).isEqualTo(400);
            assertThat(metrics.timer(MetricName.of("jobrunner_job_run_seconds", "type", "sendMail")).getCount()).isEqualTo(400);
            assertThat(metrics.meter("jobrunner_runner_claims_lost").getCount()).isZero();
            // the groups served their own types
            assertThat(executor.runs).filteredOn(r -> r.type().equals("sendMail")).allMatch(r -> r.thread().startsWith("slot-mail-"));
            assertThat(executor.runs).filteredOn(r -> r.type().startsWith("html")).allMatch(r -> r.thread().startsWith("slot-html-"));
            assertThat(executor.runs).filteredOn(r -> r.type().equals("thumbnail")).allMatch(r -> r.thread().startsWith("slot-rest-"));
            // Queues drained under a wake-up hint leave the ready registry at the runner's next read of it (the slot
            // that finds one empty then removes it under the stamp it read); those drained under a stamp, at once.
            await().atMost(Duration.ofSeconds(10)).until(() -> client.registry().readyQueues().join().isEmpty());
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(5))).isTrue();
        }
    }

    static boolean allEmpty(JobRunnerClient client, List<String> types, List<String> domains) {
        List<QueueName> queues = new ArrayList<>();
        types.forEach(t -> domains.forEach(d -> queues.add(new QueueName(d, t))));
        return client.inspector().counts(queues).stream().allMatch(c -> c.total() == 0);
    }
}
