package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueMaintenance;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.service.PerType;
import io.jobrunner.service.Durations;
import io.lettuce.core.ScoredValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The {@code due} duty: recycles expired claims and promotes delayed jobs that fell due, driven by the due index
 * ({@code jr:due}: queue to the earliest claim deadline or release time), so a tick costs what is due, not what
 * is known:
 * <ol>
 *   <li>reads the queues due by the server's time from the index ({@link QueueRegistry#dueQueues}, at most {@code due-batch},
 *       again while a read comes back full, at most {@value #MAX_READS} reads per tick);</li>
 *   <li>works the queues of one read together, each with {@link QueueMaintenance#workDueAsync}: out of the
 *       index, claims past their deadline back to the claim end of ready (or abandoned when out of the attempts
 *       the claiming runner stored with the claim, the type's {@code limits.attempts} here for claims that stored
 *       none; the attempt was counted at claim time and is not counted again, and given back for a claim never
 *       started), delayed jobs
 *       whose release time passed to ready (the queue is registered and runners woken), until a short batch;
 *       then back in the index at its next due time, or out of it when nothing is claimed or delayed. The
 *       steps of one queue run in that order; those of different queues are in flight together (at most
 *       {@code due-batch} queues, the read), so a read costs a few round trips, not a few per queue;</li>
 *   <li>counts recycled, abandoned and promoted per type;</li>
 *   <li>sleeps until the earliest due time left in the index, at most {@code interval} (jittered); so a delayed
 *       job is promoted within milliseconds of its release time, and never later than one interval.</li>
 * </ol>
 * An idle system costs two commands per tick, however many queues exist: the due read and the peek at the
 * next due time. A queue whose due entry outlived its jobs (acked after their claim deadline was indexed)
 * is visited once when that deadline comes and leaves the index. A queue whose work fails is put back in the
 * index one interval later and logged, the rest of its read is worked all the same; anything else lost from
 * the index is restored by {@link RegistryRepair}.
 */
final class DueDuty implements Duty {

    /** The duty's name in metrics ({@code duty="due"}) and in {@code /status}. */
    static final String NAME = "due";
    private static final Logger log = LoggerFactory.getLogger(DueDuty.class);
    private static final int MAX_READS = 100;
    private static final Duration MIN_WAIT = Duration.ofMillis(5);

    private final JobRunnerClient client;
    private final QueueMaintenance maintenance;
    private final PerType<Integer> attempts;
    private final ChronSettings settings;
    private final ChronMetrics metrics;
    /** Redis's time at the last due read, and the local monotonic time then: "now" on Redis's clock, read for free. */
    private volatile long lastServerNow = -1;
    private volatile long lastReadNanos;

    DueDuty(JobRunnerClient client, PerType<Integer> attempts, ChronSettings settings, ChronMetrics metrics) {
        this.client = client;
        this.maintenance = client.maintenance();
        this.attempts = attempts;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Long> run(BooleanSupplier stillLeader) {
        Tally tally = new Tally(metrics);
        int worked = 0;
        for (int read = 0; read < MAX_READS && stillLeader.getAsBoolean(); read++) {
            QueueRegistry.DueQueues due = Await.get(client.registry().dueQueues(settings.dueBatch()), "read due index");
            lastReadNanos = System.nanoTime();
            lastServerNow = due.now();
            worked += workAll(due.queues(), due.now(), tally);
            if (due.queues().size() < settings.dueBatch()) {
                break;
            }
        }
        tally.note("queues", worked);
        metrics.dueQueuesPerTick(worked);
        return tally.counts();
    }

    /**
     * Sends the work of every queue of one read, then waits for all of it: the queues' commands share round
     * trips on the connection. Leadership is checked before each read, not per queue: a read is worked in a
     * few round trips. Each queue's outcome (or failure) is settled on its own.
     */
    private int workAll(List<QueueName> due, long now, Tally tally) {
        List<CompletableFuture<QueueMaintenance.DueWork>> pending = new ArrayList<>(due.size());
        for (QueueName queue : due) {
            pending.add(maintenance.workDueAsync(queue, attempts.forType(queue.type())));
        }
        for (int i = 0; i < due.size(); i++) {
            settle(due.get(i), pending.get(i), now, tally);
        }
        return due.size();
    }

    private void settle(QueueName queue, CompletableFuture<QueueMaintenance.DueWork> work, long now, Tally tally) {
        try {
            QueueMaintenance.DueWork done = Await.get(work, "work due queue");
            tally.add(ChronMetrics.RECYCLED, queue.type(), done.recycled());
            tally.add(ChronMetrics.ABANDONED, queue.type(), done.abandoned());
            tally.add(ChronMetrics.PROMOTED, queue.type(), done.promoted());
            if (done.recycled() + done.abandoned() + done.promoted() > 0) {
                log.debug("queue {}: recycled {}, abandoned {}, promoted {}", queue, done.recycled(), done.abandoned(), done.promoted());
            }
            if (done.abandoned() > 0) {
                log.info("queue {}: abandoned {} job(s) whose claims expired with no attempts left", queue, done.abandoned());
            }
        } catch (CancellationException e) {
            throw e; // stopping
        } catch (RuntimeException e) {
            metrics.dutyErrors(NAME).mark();
            log.warn("queue {}: recycling and promoting failed, trying again in {}: {}", queue, Durations.human(settings.interval()), e.toString());
            // workDue took the queue out of the index first; put it back so the next tick tries again.
            try {
                Await.get(client.registry().lowerDue(queue, now + settings.interval().toMillis()), "lower due");
            } catch (RuntimeException again) {
                log.warn("queue {}: could not put it back in the due index (repair will): {}", queue, again.toString());
            }
        }
    }

    /** Redis's time now: that of the last due read plus the monotonic time since, or asked (TIME) before any read. */
    private long serverNow() {
        if (lastServerNow < 0) {
            return Await.get(client.registry().serverTime(), "read server time");
        }
        return lastServerNow + (System.nanoTime() - lastReadNanos) / 1_000_000;
    }

    /** Until the earliest due time in the index, within [5ms, interval]; the full (jittered) interval when unknown. */
    @Override
    public Duration nextDelay() {
        Duration max = Jitter.shorten(settings.interval());
        try {
            List<ScoredValue<String>> first = Await.get(client.redisAsync().zrangeWithScores(client.keys().due(), 0, 0), "peek due index");
            if (first.isEmpty()) {
                return max;
            }
            long untilDue = (long) first.get(0).getScore() - serverNow();
            Duration wait = Duration.ofMillis(Math.max(untilDue, MIN_WAIT.toMillis()));
            return wait.compareTo(max) < 0 ? wait : max;
        } catch (RuntimeException e) {
            return max;
        }
    }
}
