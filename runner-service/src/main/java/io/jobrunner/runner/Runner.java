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
import java.util.stream.Collectors;

/**
 * The runner, embeddable: groups of slots that claim jobs from Redis, run them through executors and ack or
 * release them. {@link RunnerDaemon} runs it as a daemon (the CLI's {@code runner}, {@link RunnerMain}); the
 * CLI's {@code quickstart} and {@code run}, tests and benchmarks embed it directly.
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

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    static final String EXECUTORS = "jobrunner.executors";

    private final RunnerSettings settings;
    private final JobRunnerClient client;
    private final MetricRegistry registry;
    private final RunnerLifecycle lifecycle = new RunnerLifecycle();
    private final SlotWakeups wakeups = new SlotWakeups();
    private final InFlight inFlight = new InFlight();
    private final RunningJobs running = new RunningJobs();
    private final ClaimBuffer buffer = new ClaimBuffer();
    private final ClaimBudget budget = new ClaimBudget();
    private final RunCounters counters = new RunCounters();
    private final OperatorControls controls = new OperatorControls(running);
    private final RunnerMetrics metrics;
    private final ReadyQueues ready;
    private final ClaimHeartbeat heartbeat;
    private final RunTimeouts timeouts;
    private final JobOutcomes outcomes;
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

    /** Builds the runner's parts bottom up: caches and Redis-facing parts, then claiming and running, then the groups. */
    private Runner(RunnerSettings settings, Limits limits, JobRunnerClient client, MetricRegistry registry, ExecutorLookup executors) {
        this.settings = settings;
        this.failure = new RunnerFailure(settings.id(), () -> stop());
        this.client = client;
        this.registry = registry;
        this.metrics = new RunnerMetrics(registry);
        this.timeouts = new RunTimeouts(limits.timeout().smallest(Comparator.naturalOrder()));
        var consumer = client.consumer();
        AdditionsLog additions = new AdditionsLog();
        HintClaimGate gate = new HintClaimGate();
        this.ready = new ReadyQueues(client.registry(), settings.refreshInterval(), additions, gate, this::newQueues, metrics.redisLog);
        ClusterCaps clusterCaps = new ClusterCaps(settings.clusterPerType(), settings.clusterPerDomain(), client.permits(), client.keys(),
                settings.refreshInterval(), client.settings().commandTimeout(), wakeups::wakeOneEach);
        this.heartbeat = new ClaimHeartbeat(consumer, clusterCaps, metrics, buffer, limits.claimTtl().smallest(Comparator.naturalOrder()),
                settings.bufferTime(), client.settings().commandTimeout(), this::giveBackStale);
        this.retries = new OutcomeRetries(heartbeat);
        AckBatcher acks = new AckBatcher(consumer, inFlight, metrics, retries, refs -> refs.forEach(heartbeat::drop));
        ThroughputRecorder throughput = new ThroughputRecorder();
        this.outcomes = new JobOutcomes(consumer, limits, metrics, counters, acks, heartbeat, inFlight, retries, throughput);
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(settings.perType(), settings.perDomain(), clusterCaps, wakeups::wakeOneEach);
        ClusterRates rates = new ClusterRates(settings.ratePerType(), settings.ratePerDomain(), settings.ratePerQueue(), client.rates(),
                client.keys(), settings.refreshInterval(), client.settings().commandTimeout());
        JobClaimer claimer = new JobClaimer(consumer, client.registry(), limits, new ClaimSizing(settings, metrics, limiter, lifecycle),
                ready, gate, budget, clusterCaps, rates, heartbeat, buffer, wakeups, metrics);
        JobExecution execution = new JobExecution(executors, limits, outcomes, heartbeat, timeouts, running, counters, metrics,
                client.tracing(), client.clock(), lifecycle);
        List<GroupWork> works = new ArrayList<>();
        for (GroupSettings g : settings.groups()) {
            GroupWork work = new GroupWork(g, new QueuePicker(g, ready, additions, gate, buffer, limiter,
                    q -> controls.isPaused(q) || rates.blocked(q)), limiter, // a rate-limited queue waits for its token like a paused one
                    settings.shareWindow());
            works.add(work);
            groups.add(new SlotGroup(work, seat -> new Slot(seat, claimer, execution, ready, lifecycle, metrics.redisLog,
                    settings.refreshInterval()), lifecycle, outcomes, running, metrics));
        }
        wakeups.groups(works);
        this.presence = new RunnerPresence(client, settings.id(), settings.refreshInterval(), controls, running, throughput,
                metrics.redisLog, this::status);
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
            heartbeat.start(failure);
            timeouts.start(failure);
            wakeUps.start();
            ready.refresh().join();
            presence.start(); // before the slots: a queue paused now is never claimed from
            groups.forEach(SlotGroup::start);
            RunnerGauges.register(metrics, groups, buffer, running, client.health(), ready);
            http = HttpEndpoint.start(settings.http(), "runner",
                    new HttpEndpoint.Content(registry, metricSpecs(), this::status, this::liveness, this::readiness));
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
        log.info("runner {} started: {}", settings.id(), settings.groups().stream().map(GroupSettings::describe).collect(Collectors.joining("; ")));
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
                awaitStopped(grace.plus(GracefulStop.CANCEL_WAIT).plusSeconds(30));
                return cleanStop;
            }
            state = State.STOPPING;
        }
        boolean clean = new GracefulStop(settings.id(), lifecycle, wakeups, groups, running, buffer, outcomes, inFlight,
                client.settings().commandTimeout()).stop(grace);
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
            budget.limit(bounds.maxJobs());
        }
        long t0 = System.nanoTime();
        start();
        RunSummary.Reason reason = new BoundedRun(bounds, budget, running, buffer, inFlight, ready, settings.refreshInterval(),
                groups.stream().map(SlotGroup::work).toList()).await(t0);
        stop();
        RunCounters c = counters;
        return new RunSummary(reason, c.started.get(), c.succeeded.get(), c.retried.get(), c.abandoned.get(), c.requeued.get(),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The Prometheus families the runner exports on {@code /metrics}, with their HELP (the README's table). */
    public static List<MetricSpec> metricSpecs() {
        List<MetricSpec> specs = new ArrayList<>(RunnerMetrics.SPECS);
        specs.addAll(ExecutorRegistry.metricSpecs(Runner.class.getClassLoader())); // plugins' kinds, e.g. git
        return specs;
    }

    /** True while running, no essential thread died, and the last read of the ready registry succeeded. */
    public boolean isHealthy() {
        return state == State.RUNNING && !failure.happened() && ready.lastRefreshOk();
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
        heartbeat.progress().check(probe);
        for (SlotGroup g : groups) {
            int alive = g.slotsAlive();
            int slots = g.work().settings().slots();
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
        return controls.isPaused(queue);
    }

    public RunnerStatus status() {
        List<RunnerStatus.GroupStatus> gs = groups.stream().map(SlotGroup::status).toList();
        List<RunnerStatus.CurrentJob> current = running.snapshot().stream()
                .map(r -> new RunnerStatus.CurrentJob(r.queue().toString(), r.claimed().id(), r.attempt(), r.elapsedNanos() / 1_000_000, r.slot()))
                .toList();
        RunCounters c = counters;
        RedisHealth.Snapshot redis = client.health().snapshot();
        if (!ready.lastRefreshOk() && redis.reachable()) {
            redis = new RedisHealth.Snapshot(false, redis.refusingWritesForMemory(), redis.lastError(), redis.lastErrorAt());
        }
        return new RunnerStatus(settings.id(), state.name(), startedAt == null ? null : startedAt.toString(), gs, current, buffer.size(),
                new RunnerStatus.Totals(c.started.get(), c.succeeded.get(), c.retried.get(), c.abandoned.get(), c.requeued.get()),
                redis, failure.future().getNow(null));
    }

    private void wakeUp(WakeUp wake) {
        ready.offer(wake.queue(), wake.stamp());
        wakeups.wakeServing(wake.queue().type());
    }

    private void newQueues(java.util.Set<QueueName> added) {
        added.stream().map(QueueName::type).distinct().forEach(wakeups::wakeServing);
    }

    /** Buffered jobs no slot started within buffer-time (called by the heartbeat thread). */
    private void giveBackStale(List<io.jobrunner.client.ClaimedJob> stale) {
        stale.forEach(j -> outcomes.requeue(j, "not started within buffer-time"));
    }

    private void shutdownParts() {
        lifecycle.stopClaiming();
        wakeups.wakeAll();
        retries.stop();
        try {
            heartbeat.stop();
            timeouts.stop();
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
        metrics.removeGauges();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
