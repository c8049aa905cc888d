package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Members of the due index that are not queue names (written by hand, by another tool, by a bug) are removed at the
 * first read with one log line: they neither stop the due queues around them from being worked nor make the chron
 * poll at once forever (an overdue member it could not work made it tick every 5 ms). Bound: 0 jobs lost.
 */
@ExtendWith(RedisExtension.class)
class DueIndexGarbageIT {

    @Test
    void garbageInTheDueIndexIsRemovedAndTheChronSleepsItsInterval(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "digest");
        client.producer().push(Job.of("digest").releaseAt(java.time.Instant.now().plusMillis(200)));
        String due = client.keys().due();
        client.redis().zadd(due, 0, "not a queue");
        client.redis().zadd(due, 1, "a/b/c");
        client.redis().zadd(due, 2, "");
        DueDuty duty = new DueDuty(client, TestConfigs.limits().attempts(),
                TestConfigs.settings("interval = 2s"), new ChronMetrics(new MetricRegistry()));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, Long> counts = duty.run(() -> true);
            return counts.getOrDefault("promoted", 0L) == 1;
        });

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> // removed, not awaited by the read
                assertThat(client.redis().zrange(due, 0, -1)).isEmpty());
        assertThat(duty.nextDelay()).as("nothing due: the interval, not at once").isGreaterThan(Duration.ofSeconds(1));
        assertThat(client.inspector().counts(queue).ready()).as("0 lost").isEqualTo(1);
    }
}
