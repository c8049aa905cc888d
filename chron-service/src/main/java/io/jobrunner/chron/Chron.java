package io.jobrunner.chron;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.ScheduleInfo;
import io.jobrunner.client.RedisHealth;
import io.jobrunner.service.Durations;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.Limits;
import io.jobrunner.service.ProbeResult;
import io.jobrunner.service.RedisCheck;
import io.jobrunner.service.metrics.MetricSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The chron daemon, embeddable (the CLI's {@code jobrunner chron} and {@code quickstart}, tests). Starts
 * everything and stops it:
 * <ol>
 *   <li>the leader lease ({@link LeaderLease}, thread {@code chron-lease}): any number of chron processes may
 *       run; one works, the others stand by and take over within the lease time when it dies;</li>
 *   <li>one thread per duty, working only while this process leads: {@link DueDuty} (the claim
 *       recycler and delayed promoter, every {@code interval} or sooner), {@link RegistryRepair} (every
 *       {@code repair-interval}), {@link AbandonedPruner} (every {@code prune-interval}), {@link QueueGauges}
 *       (every {@code gauges.interval}) and {@link ScheduleFirer} (recurring schedules, at each tick);</li>
 *   <li>the HTTP endpoint ({@code /livez}, {@code /readyz}, {@code /status}, {@code /metrics}) when enabled;</li>
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
    private final CompletableFuture<String> failure = new CompletableFuture<>();

    private enum State { NEW, RUNNING, STOPPED }

    private Chron(ChronSettings settings, Limits limits, List<Schedule> schedules, JobRunnerClient client, MetricRegistry metrics) {
        this.settings = settings;
        this.client = client;
        this.metrics = metrics;
        ChronMetrics chronMetrics = new ChronMetrics(metrics);
        this.lease = new LeaderLease(client.lease(client.keys().chronLease()), client.redisAsync(), settings, client.clock(),
                System::nanoTime, chronMetrics, client.health());
        this.leaseThread = new Thread(lease, "chron-lease");
        this.leaseThread.setDaemon(true);
        this.leaseThread.setUncaughtExceptionHandler(this::threadDied);
        addLoop(new DueDuty(client, limits.attempts(), settings, chronMetrics), chronMetrics, settings.interval());
        addLoop(new RegistryRepair(client, settings, chronMetrics), chronMetrics, settings.repairInterval());
        addLoop(new AbandonedPruner(client, settings, chronMetrics), chronMetrics, settings.pruneInterval());
        addLoop(new QueueGauges(client, settings, chronMetrics), chronMetrics, settings.gauges().interval());
        addLoop(new ScheduleFirer(client, schedules, settings, chronMetrics), chronMetrics, settings.interval());
        this.presence = new ChronPresence(client, this::isLeader);
        metrics.gauge(ChronMetrics.LEADER, () -> (Gauge<Integer>) () -> isLeader() ? 1 : 0);
        metrics.gauge(ChronMetrics.REDIS_REACHABLE, () -> (Gauge<Integer>) () -> client.health().reachable() && lease.lastContactOk() ? 1 : 0);
        metrics.gauge(ChronMetrics.REDIS_REFUSING_WRITES, () -> (Gauge<Integer>) () -> client.health().refusingWritesForMemory() ? 1 : 0);
    }

    private void addLoop(Duty duty, ChronMetrics chronMetrics, Duration failureWait) {
        loops.add(new DutyLoop(duty, lease, chronMetrics, client.clock(), failureWait, this::threadDied));
    }

    /**
     * A duty or the lease thread died of an {@link Error}: leadership ends at once (the lease is released so a
     * healthy standby takes over), the chron stops, {@code /livez} and {@code /readyz} fail and {@link #failure()} completes, so a
     * daemon exits 1 and its supervisor starts a fresh process.
     */
    void threadDied(Thread thread, Throwable e) {
        String what = thread.getName() + " died of " + e;
        log.error("chron: {}; giving up leadership and stopping", what, e);
        if (failure.complete(what)) {
            Thread stopper = new Thread(this::stop, "chron-failure-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** Completes (with what happened) when a duty or the lease thread died of an Error; the chron stops itself then. */
    public CompletableFuture<String> failure() {
        return failure;
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
        http = HttpEndpoint.start(settings.http(), "chron",
                new HttpEndpoint.Content(metrics, ChronMetrics.SPECS, this::status, this::liveness, this::readiness));
        leaseThread.start();
        loops.forEach(DutyLoop::start);
        presence.start();
        log.info("chron started on {} (lease {}, tick at most every {}, repair every {}, prune every {})",
                JobRunnerClient.maskPassword(client.settings().uri()), Durations.human(settings.leaseTtl()), Durations.human(settings.interval()),
                Durations.human(settings.repairInterval()), Durations.human(settings.pruneInterval()));
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

    /** The Prometheus families the chron exports on {@code /metrics}, with their HELP (the README's table). */
    public static List<MetricSpec> metricSpecs() {
        return ChronMetrics.SPECS;
    }

    /** True while this process holds a valid lease and its duties work. */
    public boolean isLeader() {
        return state == State.RUNNING && lease.isLeader();
    }

    /** Running, no thread died, and its last exchange with Redis succeeded (a standby is healthy too). */
    public boolean isHealthy() {
        return state == State.RUNNING && !failure.isDone() && lease.lastContactOk();
    }

    /**
     * {@code /livez}: running, the lease loop going round, every duty thread alive. Redis is not asked: the
     * chron rides out a Redis outage by itself (a standby until it can renew), and restarting it would not help.
     */
    public ProbeResult liveness() {
        ProbeResult.Builder probe = ProbeResult.builder().check("state", state == State.RUNNING, state.name().toLowerCase());
        lease.progress().check(probe);
        loops.forEach(loop -> loop.check(probe));
        return probe.build();
    }

    /** {@code /readyz}: running and Redis answering; shows whether this process leads (a standby is ready too). */
    public ProbeResult readiness() {
        ProbeResult.Builder probe = ProbeResult.builder().check("state", state == State.RUNNING, state.name().toLowerCase());
        RedisCheck.add(probe, client);
        probe.info("role", isLeader() ? "leader" : "standby");
        return probe.build();
    }

    /** The HTTP endpoint's port, or -1 when it is not serving. */
    public int httpPort() {
        HttpEndpoint endpoint = http;
        return endpoint == null ? -1 : endpoint.port();
    }

    public ChronSettings settings() {
        return settings;
    }

    /** This process's lease token (for tests; never shown in the status). */
    String leaseToken() {
        return lease.token();
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
                client.keys().chronLease(), leader && since > 0 ? Instant.ofEpochMilli(since).toString() : null,
                client.clock().instant().toString(), duties, scheduleStatus(), lease.notLeadingBecause(), client.health().snapshot(),
                failure.getNow(null));
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
     * The lease token is not shown: whoever reads the status could otherwise renew or release the leader's lease.
     *
     * @param state       leader, standby, new or stopped
     * @param leaseKey    the lease's Redis key
     * @param leaderSince when this process last became leader, while it leads
     * @param now         the clock's time when the status was taken
     * @param duties      per duty: runs, errors, last run time and duration, last and total counts
     * @param schedules   every recurring schedule with its last handled and next tick
     * @param standbyWhy  while not leading: why (another chron holds the lease, Redis unreachable, refusing writes for memory)
     * @param redis       whether Redis answers, whether it refuses writes for memory, and its last error
     * @param failure     why this chron stopped itself (a duty or the lease thread died), or null
     */
    public record ChronStatus(String state, boolean leader, String leaseKey, String leaderSince, String now,
                              Map<String, DutyStatus> duties, List<ScheduleStatus> schedules, String standbyWhy,
                              RedisHealth.Snapshot redis, String failure) {
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
