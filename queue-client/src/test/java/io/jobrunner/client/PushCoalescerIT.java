package io.jobrunner.client;

import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Concurrent pushes to one queue share script calls; each caller still hears about its own jobs only. */
@Timeout(60)
@ExtendWith(RedisExtension.class)
class PushCoalescerIT {

    private final QueueName queue = TestJobs.queue("coalesced");

    @Test
    void pushesMadeWhileACallIsInFlightGoTogetherInTheNextCall(TestRedis redis) {
        JobRunnerClient client = redis.client();
        JobRunnerClient operator = redis.client(); // a connection of its own: CLIENT PAUSE holds the other's calls
        JobProducer producer = client.producer();
        Job first = TestJobs.job(queue).build();
        List<Job> later = List.of(TestJobs.job(queue).build(), TestJobs.job(queue).build(), TestJobs.job(queue).build());
        CommandStats before = CommandStats.read(operator.redis());

        List<CompletableFuture<PushResult>> waiting = new ArrayList<>();
        CompletableFuture<PushResult> inFlight;
        client(operator, "PAUSE", "10000", "WRITE"); // bounded; lifted below
        try {
            inFlight = producer.pushAsync(List.of(first)); // sent at once, held by the pause
            for (Job job : later) {
                waiting.add(producer.pushAsync(List.of(job))); // a call to this queue is in flight: wait for it
            }
        } finally {
            client(operator, "UNPAUSE");
        }

        assertThat(join(inFlight)).isEqualTo(new PushResult(List.of(first.id()), List.of()));
        for (int i = 0; i < later.size(); i++) {
            assertThat(join(waiting.get(i))).as("its own job only").isEqualTo(new PushResult(List.of(later.get(i).id()), List.of()));
        }
        CommandStats used = CommandStats.read(operator.redis()).since(before);
        assertThat(used.calls("sadd")).as("one call for the first, one for the three that waited (a SADD ahead of each)").isEqualTo(2);
        assertThat(client.inspector().list(queue, JobState.READY, 10)).extracting(JobInfo::id)
                .containsExactlyInAnyOrder(first.id(), later.get(0).id(), later.get(1).id(), later.get(2).id());
    }

    @Test
    void aDuplicateInASharedCallIsReportedToItsOwnCaller(TestRedis redis) {
        JobRunnerClient client = redis.client();
        JobRunnerClient operator = redis.client();
        JobProducer producer = client.producer();
        Job original = TestJobs.job(queue).param("page", "Main_Page").deduplicated().build();
        Job copy = TestJobs.job(queue).param("page", "Main_Page").deduplicated().build();
        Job other = TestJobs.job(queue).build();

        CompletableFuture<PushResult> a;
        CompletableFuture<PushResult> b;
        CompletableFuture<PushResult> c;
        client(operator, "PAUSE", "10000", "WRITE");
        try {
            a = producer.pushAsync(List.of(other));
            b = producer.pushAsync(List.of(original));
            c = producer.pushAsync(List.of(copy));
        } finally {
            client(operator, "UNPAUSE");
        }

        assertThat(join(a).pushed()).containsExactly(other.id());
        assertThat(join(b)).isEqualTo(new PushResult(List.of(original.id()), List.of()));
        assertThat(join(c)).as("same dedup key as a job in the same call").isEqualTo(new PushResult(List.of(), List.of(copy.id())));
    }

    @Test
    void aFailedCallFailsEveryCallerInItAndTheQueueKeepsWorking() {
        // A Redis of this test's own: its default user loses the right to run scripts for a moment.
        try (RunningRedis server = RedisServers.startDedicated();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()));
             JobRunnerClient operator = JobRunnerClient.connect(ClientSettings.of(server.uri()))) {
            JobProducer producer = client.producer();
            producer.push(TestJobs.job(queue).build()); // scripts loaded, queue known

            CompletableFuture<PushResult> inFlight;
            List<CompletableFuture<PushResult>> waiting = new ArrayList<>();
            client(operator, "PAUSE", "10000", "WRITE");
            try {
                inFlight = producer.pushAsync(List.of(TestJobs.job(queue).build()));
                waiting.add(producer.pushAsync(List.of(TestJobs.job(queue).build())));
                waiting.add(producer.pushAsync(List.of(TestJobs.job(queue).build())));
                operator.redis().aclSetuser("default", io.lettuce.core.AclSetuserArgs.Builder.removeCommand(
                        io.lettuce.core.protocol.CommandType.EVALSHA).removeCommand(io.lettuce.core.protocol.CommandType.EVAL));
            } finally {
                client(operator, "UNPAUSE");
            }

            assertThatThrownBy(inFlight::join).hasCauseInstanceOf(JobQueueException.class);
            for (CompletableFuture<PushResult> w : waiting) {
                assertThatThrownBy(w::join).as("the call after the failed one failed too, on its own").hasCauseInstanceOf(JobQueueException.class);
            }
            operator.redis().aclSetuser("default", io.lettuce.core.AclSetuserArgs.Builder.allCommands());
            Job after = TestJobs.job(queue).build();
            assertThat(producer.push(after).pushed()).as("nothing left stuck in flight").containsExactly(after.id());
            assertThat(client.inspector().counts(queue).ready()).isEqualTo(2);
        }
    }

    @Test
    void manyThreadsPushingSingleJobsLoseNothingAndHearOnlyOfTheirOwn(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        JobProducer producer = client.producer();
        int threads = 8;
        int perThread = 250;
        Set<String> reported = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> pushedBy = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                pushedBy.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Job job = TestJobs.job(queue).build();
                        PushResult result = producer.push(job);
                        assertThat(result).isEqualTo(new PushResult(List.of(job.id()), List.of()));
                        reported.addAll(result.pushed());
                        ids.add(job.id());
                    }
                    return ids;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : pushedBy) {
                all.addAll(f.get());
            }
            assertThat(reported).hasSize(threads * perThread).containsExactlyInAnyOrderElementsOf(all);
            assertThat(client.inspector().counts(queue).ready()).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    /** CLIENT PAUSE ms WRITE holds scripts that write; CLIENT UNPAUSE lifts it (neither has a method in Lettuce 6.3). */
    private static void client(JobRunnerClient operator, String... args) {
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
        for (String a : args) {
            command.add(a);
        }
        operator.redis().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), command);
    }
}
