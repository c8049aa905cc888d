package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.ProcessRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * This chron in the registry of live processes: one thread ({@code chron-presence}) heartbeats its record (id,
 * host, version, whether it holds the leader lease) every 5 s for 15 s of server time, so operators and the
 * dashboard see whether a chron, and which leader, is alive; a chron that dies drops out by itself. A failed
 * heartbeat is logged and the next one tries again; a stop removes the record.
 */
final class ChronPresence {

    private static final Logger log = LoggerFactory.getLogger(ChronPresence.class);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final JobRunnerClient client;
    private final BooleanSupplier leader;
    private final String id;
    private final long startedAt = System.currentTimeMillis();
    private ScheduledExecutorService thread;

    ChronPresence(JobRunnerClient client, BooleanSupplier leader) {
        this.client = client;
        this.leader = leader;
        this.id = ProcessRecord.currentHost() + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(this));
    }

    String id() {
        return id;
    }

    void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chron-presence");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops heartbeating; {@code remove}: also deletes the record (a graceful stop), else it expires. */
    void stop(boolean remove) {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
            if (remove) {
                client.presence().remove("chron", id).get(client.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("chron {}: could not remove its presence record (it expires by itself): {}", id, e.toString());
        }
    }

    private void tick() {
        try {
            ProcessRecord record = new ProcessRecord(id, "chron", ProcessRecord.currentHost(), ProcessHandle.current().pid(),
                    ProcessRecord.currentVersion(), startedAt, leader.getAsBoolean(), null, null, null);
            client.presence().heartbeat(record, INTERVAL.toMillis() * 3, List.of())
                    .get(client.settings().commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("chron {}: presence heartbeat failed (trying again in {} ms): {}", id, INTERVAL.toMillis(), e.toString());
        }
    }
}
