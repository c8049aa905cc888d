package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RedisHealth;
import io.jobrunner.client.WakeUp;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.runner.executor.ExecutorServices;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.Limits;
import io.jobrunner.service.ProbeResult;
import io.jobrunner.service.RedisCheck;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The runner, embeddable: groups of slots that claim jobs from Redis, run them through executors and ack or
 * release them (DESIGN.md section 6). {@link RunnerMain} wraps it as a daemon; the CLI's {@code quickstart} and
 * {@code run}, tests and benchmarks embed it directly.
 *
 * <h2>Embedding</h2>
 * <pre>{@code
 * Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(
 *         "jobrunner.runner.groups.basic { slots = 4, types = [\"*\"] }"), Map.of());
 * try (JobRunnerClient client = JobRunnerClient.connect(RedisSection.clientSettings(config))) {
 *     Runner runner = Runner.create(config, client, new MetricRegistry(),
 *             ExecutorLookup.of(Map.of("sendMail", ctx -> ExecutionResult.success())));
 *     runner.start();
 *     ...
 *     runner.stop(Duration.ofSeconds(30));   // or runner.close(): the configured shutdown-grace
 * }
 * }</pre>
 * <ul>
 *   <li>{@link #create(Config, JobRunnerClient, MetricRegistry)}: the same with the executors of
 *       {@code jobrunner.executors}, which the runner then owns and closes.</li>
 *   <li>{@link #create(Config, JobRunnerClient, MetricRegistry, ExecutorLookup)}: validates {@code jobrunner.runner}
 *       and {@code jobrunner.limits} of a config loaded with {@link io.jobrunner.service.ConfigLoader} (a
 *       {@link com.typesafe.config.ConfigException} names the bad path); nothing starts yet. The
 *       {@code jobrunner.redis} section is not read: the caller's client is used as is.</li>
 *   <li>{@link #start()}: subscribes to wake-ups, reads the ready registry, starts the slots, the heartbeat thread
 *       and, when configured, the HTTP endpoint and JMX. Throws if Redis cannot be reached.</li>
 *   <li>{@link #stop(Duration)}: stops claiming, gives back buffered jobs, waits for running jobs up to the grace,
 *       then cancels them and gives their claims back ({@code requeue}, attempt not counted). Safe to call
 *       from any thread, more than once.</li>
 *   <li>{@link #runBounded(RunBounds)}: start, run until max jobs, max time, or the served queues are empty,
 *       then stop; returns a {@link RunSummary}. For the CLI's {@code run}; restrict the types by replacing the
 *       groups, e.g. {@code config.withValue("jobrunner.runner.groups", ConfigValueFactory.fromMap(Map.of("run",
 *       Map.of("slots", 1, "types", List.of("sendMail")))))}.</li>
 *   <li>{@link #status()}: groups, busy slots, measured shares, current jobs (what {@code /status} serves).</li>
 * </ul>
 * The caller owns the client, the metric registry and the executors it passes: the runner closes none of them.
 * Metric names are listed in runner-service/README.md; several runners in one registry need distinct group names.
 * <p>
 * Delivery is at least once: a job is acked only after its executor succeeded; a job may run twice (after a
 * crash or a lost claim), never zero times.
 */
public final class Runner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Runner.class);
    /** How long a stop waits for cancelled runs to return before giving their claims back anyway. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);


    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    static final String EXECUTORS = "jobrunner.executors";

    private final RunnerSettings settings;
    private final JobRunnerClient client;
    private final MetricRegistry registry;
    private final RunnerParts parts;
    private final InFlight inFlight = new InFlight();
    private final List<SlotGroup> groups = new ArrayList<>();
    private final WakeUpListener wakeUps;
    private final RunnerPresence presence;
    private final OutcomeRetries retries;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RunnerFailure failure;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private volatile State state = State.NEW;
    private volatile Instant startedAt;
    private volatile boolean cleanStop;
    private HttpEndpoint http;
    private JmxReporter jmx;

    private Runner(RunnerSettings settings, Limits limits, JobRunnerClient client, MetricRegistry registry, ExecutorLookup executors) {
        this.settings = settings;
        this.failure = new RunnerFailure(settings.id(), () -> stop());
        this.client = client;
        this.registry = registry;
        RunnerMetrics metrics = new RunnerMetrics(registry);
        RunCounters counters = new RunCounters();
        ClaimBuffer buffer = new ClaimBuffer();
        RunTimeouts timeouts = new RunTimeouts(limits.timeout().smallest(Comparator.naturalOrder()));
        var consumer = client.consumer();
        ReadyQueues ready = new ReadyQueues(client.registry(), settings.refreshInterval(), this::newQueues, metrics.redisLog);
        ClusterCaps clusterCaps = new ClusterCaps(settings.clusterPerType(), settings.clusterPerDomain(), client.permits(), client.keys(),
                settings.refreshInterval(), client.settings().commandTimeout(), () -> groups.forEach(SlotGroup::wakeOne));
        ClaimHeartbeat heartbeat = new ClaimHeartbeat(consumer, clusterCaps, metrics, buffer, limits.claimTtl().smallest(Comparator.naturalOrder()),
                settings.bufferTime(),
                client.settings().commandTimeout(), this::giveBackStale);
        this.retries = new OutcomeRetries(heartbeat);
        AckBatcher acks = new AckBatcher(consumer, inFlight, metrics, retries, refs -> refs.forEach(heartbeat::drop));
        JobOutcomes outcomes = new JobOutcomes(consumer, limits, metrics, counters, acks, heartbeat, inFlight, retries);
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(settings.perType(), settings.perDomain(), clusterCaps,
                () -> groups.forEach(SlotGroup::wakeOne));
        this.parts = new RunnerParts(settings, limits, consumer, client.registry(), client.clock(), ready, buffer, limiter, clusterCaps,
                new ClaimBudget(), heartbeat, outcomes, metrics, counters, executors, new RunningJobs(), timeouts, inFlight,
                client.tracing());
        for (GroupSettings g : settings.groups()) {
            groups.add(new SlotGroup(g, parts));
        }
        parts.groups(groups);
        this.presence = new RunnerPresence(client, parts, this::status);
        this.wakeUps = new WakeUpListener(client, this::wakeUp, () -> ready.refresh(), presence::onControl);
    }

    /** A runner from a loaded config ({@code jobrunner.runner}, {@code jobrunner.limits}); validated, not started. */
    public static Runner create(Config config, JobRunnerClient client, MetricRegistry metrics, ExecutorLookup executors) {
        return create(RunnerSettings.from(config), Limits.from(config), client, metrics, executors);
    }

    /**
     * A runner with the executors configured in {@code jobrunner.executors}, built now with this client and
     * registry as their {@link ExecutorServices} (so a bad executor block fails here, with its path, as a
     * {@link com.typesafe.config.ConfigException}); the runner closes them when it stops. What {@link RunnerMain}
     * and the CLI's {@code run} and {@code quickstart} use.
     */
    public static Runner create(Config config, JobRunnerClient client, MetricRegistry metrics) {
        RunnerSettings settings = RunnerSettings.from(config);
        Limits limits = Limits.from(config);
        ExecutorRegistry executors = ExecutorRegistry.load(config.getConfig(EXECUTORS), EXECUTORS, new ExecutorServices(client, metrics));
        Runner runner = create(settings, limits, client, metrics, ExecutorLookup.of(executors));
        runner.owned.add(executors);
        return runner;
    }

    /** A runner from already mapped settings; not started. */
    public static Runner create(RunnerSettings settings, Limits limits, JobRunnerClient client, MetricRegistry metrics,
                                ExecutorLookup executors) {
        return new Runner(settings, limits, client, metrics, executors);
    }

    public String id() {
        return settings.id();
    }

    public RunnerSettings settings() {
        return settings;
    }

    /** Starts everything; returns this. Throws (and cleans up) when Redis cannot be reached. */
    public synchronized Runner start() {
        if (state != State.NEW) {
            throw new IllegalStateException("runner " + settings.id() + " was already started");
        }
        startedAt = Instant.now();
        try {
            parts.heartbeat.start(failure);
            parts.timeouts.start(failure);
            wakeUps.start();
            parts.ready.refresh().join();
            presence.start(); // before the slots: a queue paused now is never claimed from
            groups.forEach(SlotGroup::start);
            registerGauges();
            http = HttpEndpoint.start(settings.http(), "runner",
                    new HttpEndpoint.Content(registry, RunnerMetrics.SPECS, this::status, this::liveness, this::readiness));
            if (settings.jmx()) {
                jmx = JmxReporter.forRegistry(registry).inDomain("jobrunner.runner").build();
                jmx.start();
            }
        } catch (RuntimeException e) {
            shutdownParts();
            state = State.STOPPED;
            stopped.countDown();
            throw e;
        }
        state = State.RUNNING;
        log.info("runner {} started: {}", settings.id(), describeGroups());
        return this;
    }

    /** Stops with the configured {@code shutdown-grace}. */
    public boolean stop() {
        return stop(settings.shutdownGrace());
    }

    /**
     * Stops gracefully: no more claims, buffered jobs given back, running jobs get up to {@code grace} to finish,
     * then they are cancelled and their claims given back (attempt not counted). Returns true when every running
     * job finished within the grace. A second call waits for the first.
     */
    public boolean stop(Duration grace) {
        synchronized (this) {
            if (state == State.NEW) {
                shutdownParts();
                state = State.STOPPED;
                stopped.countDown();
                return true;
            }
            if (state != State.RUNNING) {
                awaitStopped(grace.plus(CANCEL_WAIT).plusSeconds(30));
                return cleanStop;
            }
            state = State.STOPPING;
        }
        log.info("runner {} stopping: {} job(s) running, waiting up to {} ms for them", settings.id(), parts.running.size(), grace.toMillis());
        parts.stopClaiming();
        parts.wakeAll();
        giveBackBuffered();
        boolean clean = true;
        try {
            clean = awaitSlots(System.nanoTime() + grace.toNanos());
            if (!clean) {
                parts.force();
                log.warn("runner {}: grace of {} ms over, cancelling {} running job(s) and giving them back", settings.id(),
                        grace.toMillis(), parts.running.size());
                parts.running.cancelAll(JobRun.Cancel.SHUTDOWN);
                if (!awaitSlots(System.nanoTime() + CANCEL_WAIT.toNanos())) {
                    for (JobRun run : parts.running.snapshot()) {
                        if (!run.takeOutcome()) {
                            continue; // its slot or the timeout thread reports it
                        }
                        run.log().warn("executor did not stop within {} ms of cancellation; giving the job back anyway", CANCEL_WAIT.toMillis());
                        parts.outcomes.requeue(run.claimed(), "executor did not stop at shutdown");
                        parts.running.remove(run);
                    }
                }
            }
            giveBackBuffered();
            inFlight.awaitNone(client.settings().commandTimeout().plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        shutdownParts();
        cleanStop = clean;
        state = State.STOPPED;
        stopped.countDown();
        log.info("runner {} stopped ({})", settings.id(), clean ? "all jobs finished" : "running jobs were given back");
        return clean;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Waits until a stop completed; true when it did within {@code max}. */
    public boolean awaitStopped(Duration max) {
        try {
            return stopped.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts, runs until one of the bounds is reached, then stops with the configured shutdown-grace.
     * Blocks the calling thread; interrupting it stops the run early (reason MAX_TIME).
     */
    public RunSummary runBounded(RunBounds bounds) {
        if (bounds.maxJobs() > 0) {
            parts.budget.limit(bounds.maxJobs());
        }
        long t0 = System.nanoTime();
        start();
        RunSummary.Reason reason = new BoundedRun(parts, groups, bounds).await(t0);
        stop();
        RunCounters c = parts.counters;
        return new RunSummary(reason, c.started.get(), c.succeeded.get(), c.retried.get(), c.abandoned.get(), c.requeued.get(),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The Prometheus families the runner exports on {@code /metrics}, with their HELP (the README's table). */
    public static List<MetricSpec> metricSpecs() {
        return RunnerMetrics.SPECS;
    }

    /** True while running, no essential thread died, and the last read of the ready registry succeeded. */
    public boolean isHealthy() {
        return state == State.RUNNING && !failure.happened() && parts.ready.lastRefreshOk();
    }

    /**
     * Completes (with what happened) when an essential thread died of an {@link Error}: the heartbeat (claims would
     * no longer be kept or fenced) or the timeout thread. The runner then stops itself, giving its jobs back; a
     * daemon exits 1 so its supervisor starts a fresh process.
     */
    public CompletableFuture<String> failure() {
        return failure.future();
    }

    /** An essential thread died of {@code e} (its uncaught-exception handler). */
    void threadDied(Thread thread, Throwable e) {
        failure.uncaughtException(thread, e);
    }

    /**
     * {@code /livez}: running, the heartbeat loop going round, every slot thread alive. Redis is not asked:
     * the runner rides out a Redis outage by itself, and restarting it would not help.
     */
    public ProbeResult liveness() {
        ProbeResult.Builder probe = ProbeResult.builder().check("state", state == State.RUNNING, state.name().toLowerCase());
        parts.heartbeat.progress().check(probe);
        for (SlotGroup g : groups) {
            int alive = g.slotsAlive();
            int slots = g.settings().slots();
            probe.check("group " + g.name(), alive == slots, alive + " of " + slots + " slot threads alive");
        }
        return probe.build();
    }

    /** {@code /readyz}: running and Redis answering. */
    public ProbeResult readiness() {
        ProbeResult.Builder probe = ProbeResult.builder().check("state", state == State.RUNNING, state.name().toLowerCase());
        RedisCheck.add(probe, client);
        return probe.build();
    }

    /** The port of the HTTP endpoint, or -1 when it is disabled or not started. */
    public int httpPort() {
        HttpEndpoint h = http;
        return h == null ? -1 : h.port();
    }

    /** Whether this runner treats {@code queue} as paused by an operator (it does not claim from it). */
    public boolean isPaused(QueueName queue) {
        return parts.controls.isPaused(queue);
    }

    public RunnerStatus status() {
        List<RunnerStatus.GroupStatus> gs = groups.stream().map(SlotGroup::status).toList();
        List<RunnerStatus.CurrentJob> current = parts.running.snapshot().stream()
                .map(r -> new RunnerStatus.CurrentJob(r.queue().toString(), r.claimed().id(), r.attempt(), r.elapsedNanos() / 1_000_000, r.slot()))
                .toList();
        RunCounters c = parts.counters;
        RedisHealth.Snapshot redis = client.health().snapshot();
        if (!parts.ready.lastRefreshOk() && redis.reachable()) {
            redis = new RedisHealth.Snapshot(false, redis.refusingWritesForMemory(), redis.lastError(), redis.lastErrorAt());
        }
        return new RunnerStatus(settings.id(), state.name(), startedAt == null ? null : startedAt.toString(), gs, current, parts.buffer.size(),
                new RunnerStatus.Totals(c.started.get(), c.succeeded.get(), c.retried.get(), c.abandoned.get(), c.requeued.get()),
                redis, failure.future().getNow(null));
    }

    private void wakeUp(WakeUp wake) {
        parts.ready.offer(wake.queue(), wake.stamp());
        parts.wakeServing(wake.queue().type());
    }

    private void newQueues(java.util.Set<QueueName> added) {
        added.stream().map(QueueName::type).distinct().forEach(parts::wakeServing);
    }

    private boolean awaitSlots(long deadlineNanos) throws InterruptedException {
        boolean all = true;
        for (SlotGroup g : groups) {
            all &= g.awaitSlots(deadlineNanos);
        }
        return all;
    }

    /** Buffered jobs no slot started within buffer-time (called by the heartbeat thread). */
    private void giveBackStale(List<io.jobrunner.client.ClaimedJob> stale) {
        stale.forEach(j -> parts.outcomes.requeue(j, "not started within buffer-time"));
    }

    private void giveBackBuffered() {
        parts.buffer.drain().forEach(j -> parts.outcomes.requeue(j, "runner stopping"));
    }

    private void registerGauges() {
        RunnerMetrics m = parts.metrics;
        for (SlotGroup g : groups) {
            m.gauge(MetricName.of(RunnerMetrics.GROUP_HIGH_SHARE, "group", g.name()), () -> {
                Double share = g.highShare();
                return share == null ? Double.NaN : share;
            });
            m.gauge(MetricName.of(RunnerMetrics.GROUP_UTILISATION, "group", g.name()), g::utilisation);
            m.gauge(MetricName.of(RunnerMetrics.GROUP_SLOTS_BUSY, "group", g.name()), g::busy);
            m.gauge(MetricName.of(RunnerMetrics.GROUP_SLOTS, "group", g.name()), () -> g.settings().slots());
        }
        m.gauge(RunnerMetrics.BUFFERED, parts.buffer::size);
        m.gauge(RunnerMetrics.STUCK_THREADS, () -> groups.stream().mapToInt(SlotGroup::stuck).sum());
        m.gauge(RunnerMetrics.REDIS_REACHABLE, () -> client.health().reachable() && parts.ready.lastRefreshOk() ? 1 : 0);
        m.gauge(RunnerMetrics.REDIS_REFUSING_WRITES, () -> client.health().refusingWritesForMemory() ? 1 : 0);
        m.gauge(RunnerMetrics.RUNNING, parts.running::size);
    }

    private void shutdownParts() {
        parts.stopClaiming();
        parts.wakeAll();
        retries.stop();
        try {
            parts.heartbeat.stop();
            parts.timeouts.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeUps.close();
        presence.stop();
        if (http != null) {
            http.close();
        }
        if (jmx != null) {
            jmx.stop();
        }
        parts.metrics.removeGauges();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    private String describeGroups() {
        StringBuilder sb = new StringBuilder();
        for (GroupSettings g : settings.groups()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(g.name()).append(" (").append(g.slots()).append(" slots, types ")
                    .append(g.types()).append(g.exclude().isEmpty() ? "" : ", exclude " + g.exclude())
                    .append(g.lowPriority().isEmpty() ? "" : ", low-priority " + g.lowPriority() + ", high-share " + g.highShare())
                    .append(')');
        }
        return sb.toString();
    }
}
