package io.jobrunner.bench.scenario;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.DutyStatus;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.service.metrics.MetricName;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real {@link Chron} beside the scale scenario's passes, with its defaults (tick at most every second, repair
 * every 5 s) but for two keys: an abandoned-job retention of 1 ms, so every job abandoned before it starts is past
 * it, and a prune interval of an hour, so its pruner runs once, at start. Reads its duty timers
 * ({@code jobrunner_chron_duty_run_seconds}): the due tick's median and max, and each duty's runs and longest run.
 */
final class ScaleChron implements AutoCloseable {

    private static final Config CONFIG = ConfigFactory.parseString("""
            jobrunner.chron { abandoned-retention = 1ms, prune-interval = 1h, http.enabled = false }
            """);
    private static final String[] DUTIES = {"due", "repair", "prune", "gauges", "schedules"};

    /**
     * The chron's ticks over a pass.
     *
     * @param dueMedianMillis median due-tick time (recycle and promote), ms
     * @param dueMaxMillis    longest due tick, ms
     * @param dueTicks        due ticks in the pass
     * @param duties          per duty that ran: runs, median and longest run (ms), for the JSON details
     */
    record Ticks(double dueMedianMillis, double dueMaxMillis, long dueTicks, Map<String, Map<String, Object>> duties) {
        @Override
        public String toString() {
            return String.format("chron due tick p50 %.3f ms, max %.3f ms (%d ticks)", dueMedianMillis, dueMaxMillis, dueTicks);
        }
    }

    private final Chron chron;
    private final MetricRegistry metrics;

    private ScaleChron(Chron chron, MetricRegistry metrics) {
        this.chron = chron;
        this.metrics = metrics;
    }

    /** Starts a chron on the client's Redis and prefix (the client stays the caller's). */
    static ScaleChron start(JobRunnerClient client) {
        MetricRegistry metrics = new MetricRegistry();
        Chron chron = Chron.create(CONFIG, client, metrics);
        chron.start();
        return new ScaleChron(chron, metrics);
    }

    /** Waits until the duty ran {@code runs} times; throws when {@code timeout} passes first. */
    DutyStatus awaitRuns(String duty, long runs, Duration timeout) throws InterruptedException {
        return ChronTickCost.awaitRuns(chron, duty, runs, timeout);
    }

    /** The longest run of a duty so far, ms (0 before its first run). */
    double longestRunMillis(String duty) {
        return timer(duty).getSnapshot().getMax() / 1e6;
    }

    Ticks ticks() {
        Timer due = timer("due");
        Snapshot snap = due.getSnapshot();
        Map<String, Map<String, Object>> duties = new LinkedHashMap<>();
        for (String duty : DUTIES) {
            Timer t = timer(duty);
            if (t.getCount() > 0) {
                Snapshot s = t.getSnapshot();
                duties.put(duty, Map.of("runs", t.getCount(), "medianMs", round(s.getMedian() / 1e6), "maxMs", round(s.getMax() / 1e6)));
            }
        }
        return new Ticks(due.getCount() == 0 ? Double.NaN : snap.getMedian() / 1e6, due.getCount() == 0 ? Double.NaN : snap.getMax() / 1e6,
                due.getCount(), duties);
    }

    private Timer timer(String duty) {
        return BucketedTimer.in(metrics, MetricName.of("jobrunner_chron_duty_run_seconds", "duty", duty)); // the kind the chron makes
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }

    @Override
    public void close() {
        chron.stop();
    }
}
