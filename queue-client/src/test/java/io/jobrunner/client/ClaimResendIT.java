package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.ReplyDroppingProxy;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A re-sent claim (Lettuce re-sends a command that was in flight when the connection dropped, after Redis may
 * have run it) returns the jobs of its first run and claims nothing more; a re-sent lease acquire reports the
 * lease held. The fault is the same command run twice, which is what a re-send is: most tests send one script
 * call twice with the same arguments; one loses a claim's reply on the wire ({@link ReplyDroppingProxy}) and lets
 * Lettuce re-send it. Bound: 0 jobs lost, 0 claimed under a reply nobody reads.
 */
@ExtendWith(RedisExtension.class)
class ClaimResendIT {

    private final QueueName queue = TestJobs.queue("resent");

    @Test
    void aReSentClaimReturnsTheJobsOfItsFirstRunAndClaimsNoMore(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = TestJobs.jobs(queue, 5);
        client.producer().push(jobs);
        QueueScripts scripts = TestSupport.scripts(client);
        QueueScripts.ClaimRequest request = new QueueScripts.ClaimRequest(2, TTL.toMillis(), JobIds.next(), 3, 2, 20_000, 0, 1000);

        QueueScripts.ClaimReply first = join(scripts.claim(queue, request));
        QueueScripts.ClaimReply resent = join(scripts.claim(queue, request));

        assertThat(first.jobs()).extracting(QueueScripts.RawClaim::id).containsExactly(jobs.get(0).id(), jobs.get(1).id());
        assertThat(resent.jobs()).as("the same jobs, the same attempts").isEqualTo(first.jobs());
        assertThat(resent.deadline()).isEqualTo(first.deadline());
        assertThat(resent.remaining()).isEqualTo(3);
        QueueCounts counts = client.inspector().counts(queue);
        assertThat(counts.claimed()).as("nothing claimed by the second run").isEqualTo(2);
        assertThat(counts.ready()).isEqualTo(3);
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.attempts(jobs.get(0).id())).as("the attempt counted once").isEqualTo(1);

        ClaimRef ref = new ClaimRef(jobs.get(0).id(), request.token());
        assertThat(join(client.consumer().ack(queue, List.of(ref))).acked()).isEqualTo(1);
        assertThat(join(scripts.claim(queue, request)).jobs()).as("a job acked meanwhile is not returned again")
                .extracting(QueueScripts.RawClaim::id).containsExactly(jobs.get(1).id());
    }

    @Test
    void aClaimWhoseReplyIsLostOnTheWireIsReSentByTheClientAndGetsTheSameJobs(TestRedis redis) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.jobrunner.testing.RedisExtension.onCluster(),
                "the proxy stands in front of one server; a cluster client would be redirected past it");
        List<Job> jobs = TestJobs.jobs(queue, 5);
        redis.client().producer().push(jobs);
        int port = java.net.URI.create(redis.uri()).getPort();
        try (ReplyDroppingProxy proxy = ReplyDroppingProxy.to(port);
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(proxy.uri()).withPrefix(redis.prefix()))) {
            join(client.consumer().claim(TestJobs.queue("warm-up"), 1, TTL)); // the script is loaded: one EVALSHA from now

            proxy.dropNextReply();
            ClaimBatch batch = join(client.consumer().claim(queue, 2, TTL));

            assertThat(proxy.cuts()).as("the first reply was lost and the connection cut").isEqualTo(1);
            assertThat(batch.jobs()).extracting(ClaimedJob::id).as("the re-sent call's reply: the first run's jobs")
                    .containsExactly(jobs.get(0).id(), jobs.get(1).id());
            QueueCounts counts = redis.client().inspector().counts(queue);
            assertThat(counts.claimed()).as("nothing claimed under the lost reply").isEqualTo(2);
            assertThat(counts.ready()).isEqualTo(3);
            assertThat(QueueProbe.of(redis.client(), queue).attempts(jobs.get(0).id())).as("the attempt counted once").isEqualTo(1);
            assertThat(join(client.consumer().ack(queue, batch.jobs().stream().map(ClaimedJob::ref).toList())).acked())
                    .as("the claims are the caller's: its acks land").isEqualTo(2);
        }
    }

    @Test
    void theMarkerLivesAShortWhileAndOnlyForCallsThatClaimedSomething(TestRedis redis) {
        JobRunnerClient client = redis.client();
        String emptyToken = JobIds.next();
        QueueScripts.ClaimRequest empty = new QueueScripts.ClaimRequest(1, TTL.toMillis(), emptyToken, 3, 1, 20_000, 0, 1000);
        assertThat(join(TestSupport.scripts(client).claim(queue, empty)).jobs()).isEmpty();
        assertThat(client.redis().exists(client.keys().claimMarker(queue, emptyToken))).as("no marker: nothing to answer").isZero();

        client.producer().push(TestJobs.job(queue).build());
        ClaimBatch batch = join(client.consumer().claim(queue, 1, TTL));
        String marker = client.keys().claimMarker(queue, batch.jobs().get(0).ref().token());
        assertThat(client.redis().get(marker)).isEqualTo(batch.jobs().get(0).id());
        assertThat(client.redis().pttl(marker)).as("twice the command timeout (10 s)").isBetween(1L, 20_000L);
    }

    @Test
    void aReSentLeaseAcquireReportsTheLeaseHeld(TestRedis redis) {
        JobRunnerClient client = redis.client();
        String key = client.keys().lock("resent");
        QueueScripts scripts = TestSupport.scripts(client);
        assertThat(join(scripts.leaseAcquire(key, "mine", 10_000))).isTrue();
        assertThat(join(scripts.leaseAcquire(key, "mine", 10_000))).as("the same call again: still ours").isTrue();
        assertThat(join(scripts.leaseAcquire(key, "theirs", 10_000))).isFalse();
        assertThat(client.redis().get(key)).isEqualTo("mine");
        TestSupport.assertBadArgs("lease-acquire", () -> join(scripts.leaseAcquire(key, "mine", 0)));
    }

    @Test
    void aClaimExpiredUnstartedGetsItsAttemptBackAndAStartedOneSpendsIt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = TestJobs.jobs(queue, 3);
        client.producer().push(jobs);
        // the slot runs the first at once; the other two wait in the runner's buffer, the second is then started
        ClaimBatch batch = join(client.consumer().claim(queue, 3, TTL, 1, 1));
        assertThat(join(client.consumer().markStarted(queue, batch.jobs().get(1).ref()))).isTrue();
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.meta(jobs.get(2).id())).containsEntry("s", "0").containsEntry("m", "1");

        probe.age(TTL.plusSeconds(1)); // the runner died with all three
        RecycleResult result = join(client.maintenance().recycle(queue, 5));

        assertThat(result.abandoned()).as("started with max attempts 1 (the claiming runner's, not the chron's 5)").isEqualTo(2);
        assertThat(result.recycled()).isEqualTo(1);
        assertThat(result.unstarted()).isEqualTo(1);
        assertThat(probe.stateOf(jobs.get(0).id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.stateOf(jobs.get(1).id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(jobs.get(0).id())).contains("attempt 1 of 1");
        assertThat(probe.stateOf(jobs.get(2).id())).isEqualTo(JobState.READY);
        assertThat(probe.attempts(jobs.get(2).id())).as("given back: it never ran").isZero();
        assertThat(TestSupport.claimOne(client, queue).attempts()).isEqualTo(1);
    }

    @Test
    void recycleGoesByTheClaimingRunnersLimitAndTheChronsOnlyForClaimsWithoutOne(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job patient = TestJobs.job(queue).build();
        Job legacy = TestJobs.job(queue).build();
        client.producer().push(List.of(patient, legacy));
        join(client.consumer().claim(queue, 1, TTL, 5, 1)); // a runner allowing 5 attempts
        join(client.consumer().claim(queue, 1, TTL));          // no limit of its own
        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(TTL.plusSeconds(1));

        RecycleResult result = join(client.maintenance().recycle(queue, 1)); // the chron's limit: 1

        assertThat(result.recycled()).isEqualTo(1);
        assertThat(result.abandoned()).isEqualTo(1);
        assertThat(probe.stateOf(patient.id())).as("attempt 1 of its runner's 5").isEqualTo(JobState.READY);
        assertThat(probe.stateOf(legacy.id())).as("attempt 1 of the chron's 1").isEqualTo(JobState.ABANDONED);
    }
}
