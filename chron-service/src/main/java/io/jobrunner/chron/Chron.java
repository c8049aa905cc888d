package io.jobrunner.chron;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.ScheduleInfo;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chron daemon, embeddable (the CLI's {@code jobrunner chron} and {@code quickstart}, tests). Starts
 * everything and stops it:
 * <ol>
 *   <li>the leader lease ({@link LeaderLease}, thread {@code chron-lease}): any number of chron processes may
 *       run; one works, the others stand by and take over within the lease time when it dies;</li>
 *   <li>one thread per duty, working only while this process leads: {@link RecycleAndPromote} (the claim
 *       recycler and delayed promoter, every {@code interval} or sooner), {@link RegistryRepair} (every
 *       {@code repair-interval}), {@link AbandonedPruner} (every {@code prune-interval}), {@link QueueGauges}
 *       (every {@code gauges.interval}) and {@link ScheduleFirer} (recurring schedules, at each tick);</li>
 *   <li>the HTTP endpoint ({@code /health}, {@code /status}, {@code /metrics}) when enabled;</li>
 *   <li>its record in the registry of live processes, saying whether it leads ({@link ChronPresence});</li>
 *   <li>{@link #stop()}: stops the duties first, then releases the lease (so a successor never overlaps),
 *       then the endpoint. The client is the caller's: it is not closed here.</li>
 * </ol>
 * Times stored in Redis or shown in the status come from the client's {@link java.time.Clock}.
 */
public final class Chron implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chron.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final ChronSettings settings;
    private final JobRunnerClient client;
    private final MetricRegistry metrics;
    private final LeaderLease lease;
    private final List<DutyLoop> loops = new ArrayList<>();
    private final Thread leaseThread;
    private final ChronPresence presence;
    private HttpEndpoint http;
    private volatile State state = State.NEW;

    private enum State { NEW, RUNNING, STOPPED }

    private Chron(ChronSettings settings, Limits limits, List<Schedule> schedules, JobRunnerClient client, MetricRegistry metrics) {
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        ChronMetrics chronMetrics = new ChronMetrics(metrics);
        this.lease = new LeaderLease(client.lease(client.keys().chronLease()), client.redisAsync(), settings, client.clock(),
                System::nanoTime, chronMetrics);
        this.leaseThread = new Thread(lease, "chron-lease");
        this.leaseThread.setDaemon(true);
        loops.add(new DutyLoop(new RecycleAndPromote(client, limits.attempts(), settings, chronMetrics), lease, chronMetrics,
                client.clock(), settings.interval()));
        loops.add(new DutyLoop(new RegistryRepair(client, settings, chronMetrics), lease, chronMetrics, client.clock(), settings.repairInterval()));
        loops.add(new DutyLoop(new AbandonedPruner(client, settings, chronMetrics), lease, chronMetrics, client.clock(), settings.pruneInterval()));
        loops.add(new DutyLoop(new QueueGauges(client, settings, chronMetrics), lease, chronMetrics, client.clock(), settings.gauges().interval()));
        loops.add(new DutyLoop(new ScheduleFirer(client, schedules, settings, chronMetrics), lease, chronMetrics, client.clock(),
                settings.interval()));
        this.presence = new ChronPresence(client, this::isLeader);
        metrics.gauge("chron.leader", () -> (Gauge<Integer>) () -> isLeader() ? 1 : 0);
    }

    /**
     * A chron from the root config ({@code jobrunner.chron}, {@code jobrunner.limits} and {@code jobrunner.schedules};
     * missing keys fall back to the reference defaults). Throws {@link com.typesafe.config.ConfigException} naming
     * the path of a bad value.
     */
    public static Chron create(Config config, JobRunnerClient client, MetricRegistry metrics) {
        Config root = config.withFallback(ConfigFactory.defaultReference(Chron.class.getClassLoader())).resolve();
        return create(ChronSettings.from(root), Limits.from(root), schedules(root), client, metrics);
    }

    /** A chron without configured schedules (those already in Redis still fire). */
    public static Chron create(ChronSettings settings, Limits limits, JobRunnerClient client, MetricRegistry metrics) {
        return create(settings, limits, List.of(), client, metrics);
    }

    /** A chron that writes {@code schedules} to Redis when it first leads (see {@link ScheduleFirer}). */
    public static Chron create(ChronSettings settings, Limits limits, List<Schedule> schedules, JobRunnerClient client,
                               MetricRegistry metrics) {
        return new Chron(settings, limits, schedules, client, metrics);
    }

    /** The schedules of {@code jobrunner.schedules}, validated; a bad one throws naming its path. */
    public static List<Schedule> schedules(Config root) {
        return ConfiguredSchedules.from(root);
    }

    /** Starts the lease, the duties and the endpoint; returns at once (this process may be a standby). */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("chron already " + state.name().toLowerCase());
        }
        state = State.RUNNING;
        http = HttpEndpoint.start(settings.http(), "chron", metrics, this::status, this::isHealthy);
        leaseThread.start();
        loops.forEach(DutyLoop::start);
        presence.start();
        log.info("chron started on {} (lease {}, tick at most every {}, repair every {}, prune every {})",
                JobRunnerClient.maskPassword(client.settings().uri()), settings.leaseTtl(), settings.interval(),
                settings.repairInterval(), settings.pruneInterval());
    }

    /** Graceful stop: duties stop, then the lease is released so a standby takes over at once. Idempotent. */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        presence.stop(true);
        lease.stop();
        loops.forEach(loop -> loop.stop(STOP_TIMEOUT));
        stopThread(leaseThread);
        lease.release();
        closeHttp();
        log.info("chron stopped");
    }

    /**
     * Stops every thread at once without releasing the lease, as if the process had died: a standby takes over
     * only when the lease expires. For tests of the takeover.
     */
    public synchronized void kill() {
        state = State.STOPPED;
        presence.stop(false);
        lease.stop();
        loops.forEach(loop -> loop.stop(STOP_TIMEOUT));
        stopThread(leaseThread);
        closeHttp();
    }

    @Override
    public void close() {
        stop();
    }

    /** True while this process holds a valid lease and its duties work. */
    public boolean isLeader() {
        return state == State.RUNNING && lease.isLeader();
    }

    /** Running, and its last exchange with Redis succeeded (a standby is healthy too). */
    public boolean isHealthy() {
        return state == State.RUNNING && lease.lastContactOk();
    }

    /** The HTTP endpoint's port, or -1 when it is not serving. */
    public int httpPort() {
        HttpEndpoint endpoint = http;
        return endpoint == null ? -1 : endpoint.port();
    }

    public ChronSettings settings() {
        return settings;
    }

    /** What {@code /status} shows. */
    public ChronStatus status() {
        Map<String, DutyStatus> duties = new LinkedHashMap<>();
        for (DutyLoop loop : loops) {
            DutyStatus s = loop.status();
            duties.put(s.duty(), s);
        }
        long since = lease.leaderSinceMillis();
        boolean leader = isLeader();
        return new ChronStatus(state == State.RUNNING ? (leader ? "leader" : "standby") : state.name().toLowerCase(), leader,
                client.keys().chronLease(), lease.token(), leader && since > 0 ? Instant.ofEpochMilli(since).toString() : null,
                client.clock().instant().toString(), duties, scheduleStatus());
    }

    /** Every schedule with its last and next tick, read from Redis (empty, and logged, when Redis cannot be read). */
    private List<ScheduleStatus> scheduleStatus() {
        try {
            return client.schedules().list().stream().map(ScheduleStatus::of).toList();
        } catch (RuntimeException e) {
            log.debug("status: schedules could not be read: {}", e.toString());
            return List.of();
        }
    }

    /**
     * @param state       leader, standby, new or stopped
     * @param leaseKey    the lease's Redis key
     * @param token       this process's lease token (the leader's is the key's value)
     * @param leaderSince when this process last became leader, while it leads
     * @param now         the clock's time when the status was taken
     * @param duties      per duty: runs, errors, last run time and duration, last and total counts
     * @param schedules   every recurring schedule with its last handled and next tick
     */
    public record ChronStatus(String state, boolean leader, String leaseKey, String token, String leaderSince, String now,
                              Map<String, DutyStatus> duties, List<ScheduleStatus> schedules) {
    }

    /** One schedule in {@code /status}: times as ISO-8601 instants, null when there is none. */
    public record ScheduleStatus(String name, String cron, String zone, String queue, String missed, boolean paused,
                                 String lastTick, String nextTick) {

        static ScheduleStatus of(ScheduleInfo info) {
            Schedule s = info.schedule();
            return new ScheduleStatus(s.name(), s.cron().toString(), s.zone().getId(), s.queue().toString(), s.missed().configName(),
                    info.paused(), info.lastTick() == null ? null : info.lastTick().toString(),
                    info.nextTick() == null ? null : info.nextTick().toString());
        }
    }

    private static void stopThread(Thread thread) {
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeHttp() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
