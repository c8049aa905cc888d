package io.jobrunner.runner;

import io.jobrunner.client.ControlMessage;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Presence;
import io.jobrunner.client.ProcessRecord;
import io.jobrunner.client.RootCause;
import io.jobrunner.service.RedisErrorLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This runner in the registry of live runners: one thread ({@code runner-presence}) that, every interval,
 * <ol>
 *   <li>heartbeats the runner's record (id, host, version, groups with busy and total slots, the jobs it runs) for
 * three intervals of server time, so a runner that dies drops out of {@code jobrunner runners} by itself;</li>
 *   <li>takes the operators' controls from the reply: the paused set, and the cancel requests among its jobs
 *       ({@link OperatorControls}); a request acted on is deleted;</li>
 *   <li>flushes the runs that ended since the last tick into the per-minute history ({@link ThroughputRecorder}).</li>
 * </ol>
 * A failed tick is logged and counted, and the next one tries again; a stop removes the record.
 */
final class RunnerPresence {

    private static final Logger log = LoggerFactory.getLogger(RunnerPresence.class);

    private final JobRunnerClient client;
    private final String id;
    private final OperatorControls controls;
    private final RunningJobs running;
    private final ThroughputRecorder throughput;
    private final RedisErrorLog redisLog;
    /** The heartbeat's period: 5 s, or the refresh interval when longer (the paused set also comes by message). */
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    private static final String HOST = ProcessRecord.currentHost();

    private final Supplier<RunnerStatus> status;
    private final Duration interval;
    private ScheduledExecutorService thread;

    RunnerPresence(JobRunnerClient client, String id, Duration refresh, OperatorControls controls, RunningJobs running,
                   ThroughputRecorder throughput, RedisErrorLog redisLog, Supplier<RunnerStatus> status) {
        this.client = client;
        this.id = id;
        this.controls = controls;
        this.running = running;
        this.throughput = throughput;
        this.redisLog = redisLog;
        this.status = status;
        this.interval = refresh.compareTo(MIN_INTERVAL) > 0 ? refresh : MIN_INTERVAL;
    }

    void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runner-presence");
            t.setDaemon(true);
            return t;
        });
        tick(); // the first one now, so the slots start knowing what is paused
        thread.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the thread, flushes the last counts and removes the record. */
    void stop() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            flushHistory();
            client.presence().remove("runner", id).get(client.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("runner {}: could not remove its presence record (it expires by itself): {}", id,
                    RootCause.message(e));
        }
    }

    /** A control message heard on the wake-up channel: applied now, a cancel request acted on is deleted. */
    void onControl(ControlMessage message) {
        forget(controls.apply(message));
    }

    private void tick() {
        try {
            List<String> runningJobs = running.snapshot().stream()
                    .map(r -> ControlMessage.jobKey(r.queue(), r.claimed().id())).toList();
            Presence.Controls asked = client.presence()
                    .heartbeat(record(), interval.toMillis() * 3, runningJobs)
                    .get(client.settings().commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            controls.paused(asked.paused());
            forget(controls.cancelRequested(asked.cancelRequested()));
            flushHistory();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            redisLog.failed("runner {}: presence heartbeat failed (trying again in {} ms): {}", id,
                    interval.toMillis(), RootCause.message(e));
        }
    }

    /** What the registry of live runners shows of this one. */
    private ProcessRecord record() {
        RunnerStatus s = status.get();
        return new ProcessRecord(s.id(), "runner", HOST, ProcessHandle.current().pid(), ProcessRecord.currentVersion(),
                s.startedAt() == null ? 0 : Instant.parse(s.startedAt()).toEpochMilli(), null,
                s.groups().stream().map(g -> new ProcessRecord.Group(g.name(), g.slots(), g.busy(), g.types())).toList(),
                s.current().stream().map(j -> new ProcessRecord.Running(j.queue(), j.id(), j.attempt(), j.elapsedMs(), j.slot())).toList(),
                null);
    }

    private void forget(List<String> actedOn) {
        if (!actedOn.isEmpty()) {
            client.redisAsync().hdel(client.keys().cancels(), actedOn.toArray(String[]::new));
        }
    }

    private void flushHistory() {
        for (Map.Entry<String, long[]> e : throughput.drain().entrySet()) {
            long[] c = e.getValue();
            client.history().count(e.getKey(), c[0], c[1]).whenComplete((v, failure) -> {
                if (failure != null) {
                    throughput.restore(e.getKey(), c);
                }
            });
        }
    }
}
