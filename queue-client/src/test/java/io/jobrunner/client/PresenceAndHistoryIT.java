package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/** presence.lua, presence-list.lua and history-count.lua, and the bulk retry and purge of abandoned jobs. */
@ExtendWith(RedisExtension.class)
class PresenceAndHistoryIT {

    private final QueueName queue = TestJobs.queue("presence");

    @Test
    void aHeartbeatRecordsTheProcessAndBringsBackPausedQueuesAndItsCancelRequests(TestRedis redis) {
        JobRunnerClient client = redis.client();
        ProcessRecord record = new ProcessRecord("runner-1", "runner", "host", 42, "1.0", 1000L, null,
                List.of(new ProcessRecord.Group("basic", 4, 1, List.of("*"))),
                List.of(new ProcessRecord.Running(queue.toString(), "job-1", 1, 50, "slot-basic-1")), null);
        client.operations().pause("*/other");
        client.redis().hset(client.keys().cancels(), ControlMessage.jobKey(queue, "job-1"), "1");

        Presence.Controls c = join(client.presence().heartbeat(record, 10_000,
                List.of(ControlMessage.jobKey(queue, "job-1"), ControlMessage.jobKey(queue, "job-2"))));

        assertThat(c.paused()).isEqualTo(Set.of("*/other"));
        assertThat(c.cancelRequested()).containsExactly(queue + " job-1");
        List<ProcessRecord> runners = client.presence().runners();
        assertThat(runners).hasSize(1);
        assertThat(runners.get(0).id()).isEqualTo("runner-1");
        assertThat(runners.get(0).slots()).isEqualTo(4);
        assertThat(runners.get(0).busy()).isEqualTo(1);
        assertThat(runners.get(0).current()).extracting(ProcessRecord.Running::id).containsExactly("job-1");
        assertThat(runners.get(0).expiresAt()).isGreaterThan(c.serverTime());
        assertThat(client.presence().chrons()).isEmpty();

        join(client.presence().remove("runner", "runner-1"));
        assertThat(client.presence().runners()).isEmpty();
    }

    @Test
    void aRecordExpiresByServerTimeWhenItsProcessStopsHeartbeating(TestRedis redis) throws InterruptedException {
        JobRunnerClient client = redis.client();
        ProcessRecord chron = new ProcessRecord("chron-1", "chron", "host", 7, "1.0", 1L, true, null, null, null);
        join(client.presence().heartbeat(chron, 1, List.of()));
        Thread.sleep(20); // the record's 1 ms of server time passes
        assertThat(client.presence().chrons()).isEmpty();
        assertThat(client.redis().hlen(client.keys().chrons())).as("kept a while, then forgotten").isEqualTo(1);
    }

    @Test
    void historyCountsSumPerMinuteAndTotalsSurviveTheCounter(TestRedis redis) {
        JobRunnerClient client = redis.client();
        ThroughputHistory h = client.history();
        join(h.count("a", 5, 1));
        join(h.count("a", 2, 0));
        join(h.count("b", 3, 3));

        ThroughputHistory.Series s = redis.client().history().read(List.of("a", "b"), 5);

        assertThat(s.minutes()).hasSize(5);
        long processed = 0;
        long failed = 0;
        for (int i = 0; i < 5; i++) {
            processed += s.processed()[i];
            failed += s.failed()[i];
        }
        assertThat(processed).isEqualTo(10);
        assertThat(failed).isEqualTo(4);
        assertThat(s.totalProcessed()).isEqualTo(10);
        assertThat(s.totalFailed()).isEqualTo(4);
        assertThat(h.types()).containsExactlyInAnyOrder("a", "b");
        assertThat(client.redis().hlen(client.keys().history("a"))).as("one minute's slot and the totals").isEqualTo(5);
    }

    @Test
    void bulkRetryAndPurgeByFilterWithADryRun(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.jobs(queue, 4));
        List<ClaimedJob> jobs = claim(client, queue, 4).jobs();
        for (int i = 0; i < jobs.size(); i++) {
            join(client.consumer().abandon(queue, jobs.get(i).ref(), i % 2 == 0 ? "Timeout talking to mail" : "bad address"));
        }
        AbandonedFilter timeouts = new AbandonedFilter(null, queue.type(), "timeout", null, null);

        AbandonedBulk.Result dry = client.abandonedBulk().run(timeouts, AbandonedBulk.Action.RETRY, true);
        assertThat(dry.matched()).isEqualTo(2);
        assertThat(dry.acted()).isZero();
        assertThat(client.inspector().counts(queue).abandoned()).as("a dry run changes nothing").isEqualTo(4);

        AbandonedBulk.Result retried = client.abandonedBulk().run(timeouts, AbandonedBulk.Action.RETRY, false);
        assertThat(retried.acted()).isEqualTo(2);
        assertThat(retried.perQueue()).containsEntry(queue.toString(), 2L);
        AbandonedBulk.Result purged = client.abandonedBulk().run(AbandonedFilter.all(), AbandonedBulk.Action.PURGE, false);
        assertThat(purged.acted()).isEqualTo(2);
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 2, 0, 0, 0));
    }
}
