package io.jobrunner.mediawiki.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.service.metrics.MetricSpec;
import com.codahale.metrics.Timer;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.client.Lease;
import io.jobrunner.mediawiki.MwReadyMap;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.MwStartScan;
import io.jobrunner.mediawiki.PhpPoolLock;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The chron in MediaWiki mode, on its own thread ({@code mw-chron}):
 * <ol>
 *   <li>leadership: a lease ({@code <key-prefix>:chron:lease}, SET NX PX) on the first reachable aggregator,
 *       renewed every third of {@code lease-ttl}; valid until four fifths of it after the renewal was sent, so a
 *       leader that cannot renew stops before a standby can take over. Standbys retry every interval;</li>
 *   <li>each interval (start to start; the first after a random part of one), the leader takes a slot of the PHP
 *       pool lock (when {@code php-pool-lock}), runs one {@link MwQueuePass}, replaces the ready map and
 *       releases the slot;</li>
 *   <li>every {@code prune-interval}, {@link MwAbandonedPruner};</li>
 *   <li>once per server, when it has no abandoned set yet, the {@link MwStartScan}.</li>
 * </ol>
 * Each step catches its own failure, logs it, counts it and goes on at the next interval; an {@link Error} ends
 * the chron ({@link #failure()}).
 */
public final class MwChron {

    private static final Logger log = LoggerFactory.getLogger(MwChron.class);

    private final MwSettings settings;
    private final ChronSettings chronSettings;
    private final List<MwServer> queueServers;
    private final List<MwServer> aggregators;
    private final MwChronMetrics metrics;
    private final Clock clock;
    private final MwQueuePass pass;
    private final MwAbandonedPruner pruner;
    private final MwReadyMap readyMap;
    private final PhpPoolLock poolLock;
    private final Set<MwServer> scanned = new HashSet<>();
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean stopped;
    private boolean closed;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private HttpEndpoint http;

    private Lease lease;
    private MwServer leaseServer;
    private volatile boolean held;
    private long renewedAtNanos;
    private volatile long validUntilNanos;
    private volatile Map<String, Object> lastPass = Map.of();
    private volatile int poolSlot = -1;
    private long lastPruneNanos;
    private long lastRacedLogNanos;

    public MwChron(MwSettings settings, ChronSettings chronSettings, int batchSize, MetricRegistry metrics, Clock clock) {
        this.settings = settings;
        this.chronSettings = chronSettings;
        this.queueServers = settings.queues().stream().map(s -> new MwServer(s, settings.downTime())).toList();
        this.aggregators = settings.aggregators().stream().map(s -> new MwServer(s, settings.downTime())).toList();
        this.metrics = new MwChronMetrics(metrics);
        this.clock = clock;
        this.pass = new MwQueuePass(queueServers, settings, chronSettings.abandonedRetention(), batchSize, this.metrics, this::nowSeconds);
        this.pruner = new MwAbandonedPruner(queueServers, settings, batchSize, this.metrics);
        this.readyMap = new MwReadyMap(settings.keyPrefix());
        this.poolLock = new PhpPoolLock(queueServers.size());
        this.thread = new Thread(this::loop, "mw-chron");
        this.thread.setUncaughtExceptionHandler(this::threadDied);
        this.metrics.gauge(MwChronMetrics.LEADER, () -> isLeader() ? 1 : 0);
        this.metrics.gauge(MwChronMetrics.QUEUES, () -> lastPass.getOrDefault("queuesVisited", 0L));
        this.metrics.gauge(MwChronMetrics.READY_QUEUES, () -> lastPass.getOrDefault("readyQueues", 0));
    }

    public void start() {
        http = HttpEndpoint.start(chronSettings.http(), "chron", new HttpEndpoint.Content(metrics.registry(), MwChronMetrics.SPECS, this::status,
                () -> ProbeResult.of("loop", thread.isAlive(), thread.isAlive() ? "thread mw-chron alive" : "thread mw-chron ended"),
                () -> ProbeResult.of("endpoint", true, "answering")));
        thread.start();
    }

    public int httpPort() {
        return http == null ? 0 : http.port();
    }

    public boolean isLeader() {
        return held && System.nanoTime() - validUntilNanos < 0;
    }

    /**
     * The loop died of an {@link Error} (each step catches every RuntimeException itself): logged and counted,
     * {@link #failure()} completes and the chron stops on a thread of its own, giving the lease up so a standby takes
     * over at once; {@code /livez} fails and a daemon exits 1, so its supervisor starts a fresh process.
     */
    private void threadDied(Thread dead, Throwable e) {
        metrics.errors().mark();
        String what = dead.getName() + " died of " + e;
        log.error("chron: {}; giving up leadership and stopping", what, e);
        if (failure.complete(what)) {
            Thread stopper = new Thread(() -> {
                try {
                    stop();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }, "mw-chron-failure-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** Completes, with what happened, when the loop died of an Error; the chron stops itself then. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /** Every Prometheus family the chron exports in MediaWiki mode, with its HELP text. */
    public static List<MetricSpec> metricSpecs() {
        return MwChronMetrics.SPECS;
    }

    /** The MediaWiki-mode families the native chron does not export. */
    public static List<MetricSpec> ownMetricSpecs() {
        return MwChronMetrics.OWN_SPECS;
    }

    /** Stops after the step in progress and gives the lease up, so a standby takes over at once. */
    public synchronized void stop() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (lease != null && held) {
            try {
                lease.release();
                held = false;
            } catch (RuntimeException e) {
                log.warn("chron: could not release the lease, a standby takes over when it expires: {}", e.getMessage());
            }
        }
        if (http != null) {
            http.close();
        }
        queueServers.forEach(MwServer::close);
        aggregators.forEach(MwServer::close);
    }

    private void loop() {
        long interval = chronSettings.interval().toNanos();
        sleepNanos(ThreadLocalRandom.current().nextLong(interval));
        while (!stopped) {
            long start = System.nanoTime();
            try {
                if (holdLease()) {
                    leaderStep();
                }
            } catch (RuntimeException e) {
                metrics.errors().mark();
                log.warn("chron: step failed, retried at the next interval: {}", e.toString());
            } catch (InterruptedException e) {
                return;
            }
            sleepNanos(interval - (System.nanoTime() - start));
        }
    }

    private void leaderStep() throws InterruptedException {
        for (MwServer server : queueServers) {
            if (settings.chron().scanOnStart() && !server.isDown() && scanned.add(server)) {
                startScan(server);
            }
        }
        MwServer aggregator = firstAggregator();
        onePass(aggregator);
        long now = System.nanoTime();
        if (lastPruneNanos == 0 || now - lastPruneNanos >= chronSettings.pruneInterval().toNanos()) {
            lastPruneNanos = now;
            pruner.prune(nowSeconds() - chronSettings.abandonedRetention().toSeconds());
        }
    }

    private void startScan(MwServer server) {
        try {
            MwStartScan scan = new MwStartScan(settings.keyPrefix());
            if (!scan.needed(server.sync())) {
                return;
            }
            MwStartScan.Found found = scan.scan(server.sync());
            log.info("chron: start scan of {}: {} key(s), {} queue(s) with abandoned jobs registered for pruning", server.name(),
                    found.keysSeen(), found.abandonedRegistered().size());
            if (!found.unlisted().isEmpty()) {
                log.warn("chron: {} queue(s) on {} hold waiting jobs but are not in s-queuesWithJobs (dropped by a PHP chron?): {}; "
                        + "the next push to each lists it again", found.unlisted().size(), server.name(), found.unlisted());
            }
        } catch (RuntimeException e) {
            scanned.remove(server);
            log.warn("chron: start scan of {} failed, retried next pass: {}", server.name(), e.getMessage());
        }
    }

    private void onePass(MwServer aggregator) throws InterruptedException {
        long passStart = nowSeconds();
        long t0 = System.nanoTime();
        int slot = -1;
        if (settings.chron().phpPoolLock()) {
            slot = poolLock.acquire(aggregator.sync(), clock.millis() / 1000.0);
            if (slot < 0) {
                metrics.raced().mark();
                if (t0 - lastRacedLogNanos > TimeUnit.MINUTES.toNanos(1)) {
                    lastRacedLogNanos = t0;
                    log.info("chron: PHP chrons hold every pool slot; this pass is skipped");
                }
                return;
            }
        }
        poolSlot = slot;
        int heldSlot = slot;
        MwQueuePass.Result result;
        try (Timer.Context ignored = metrics.pass().time()) {
            result = pass.run(() -> {
                if (heldSlot >= 0) {
                    poolLock.refresh(aggregator.sync(), heldSlot, clock.millis() / 1000.0);
                }
            });
            readyMap.replace(aggregator.sync(), result.readyFields(), passStart);
        } finally {
            if (heldSlot >= 0) {
                poolLock.release(aggregator.sync(), heldSlot);
            }
            poolSlot = -1;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("start", passStart);
        summary.put("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        summary.put("servers", queueServers.size());
        summary.put("queuesVisited", result.queues());
        summary.put("readyQueues", result.readyFields().size());
        summary.put("recycled", result.recycled());
        summary.put("abandoned", result.abandoned());
        summary.put("pruned", result.pruned());
        summary.put("undelayed", result.undelayed());
        summary.put("orphans", result.orphans());
        summary.put("failedServers", result.failedServers());
        lastPass = summary;
        if (result.recycled() + result.abandoned() + result.undelayed() + result.pruned() > 0) {
            log.debug("chron: pass over {} queue(s): {}", result.queues(), summary);
        }
        if (result.abandoned() > 0) {
            log.info("chron: abandoned {} MediaWiki job(s) out of attempts", result.abandoned());
        }
    }

    private boolean holdLease() {
        long now = System.nanoTime();
        if (held && now - renewedAtNanos < chronSettings.renewEvery().toNanos() && isLeader()) {
            return true;
        }
        MwServer aggregator;
        try {
            aggregator = firstAggregator();
        } catch (RuntimeException e) {
            held = false;
            log.warn("chron: no aggregator reachable: {}", e.getMessage());
            return false;
        }
        if (aggregator != leaseServer) {
            lease = aggregator.lease(settings.keyPrefix() + ":chron:lease");
            leaseServer = aggregator;
            held = false;
        }
        boolean wasLeader = held;
        long sent = System.nanoTime();
        boolean ok;
        try {
            ok = held ? lease.renew(chronSettings.leaseTtl()) : lease.tryAcquire(chronSettings.leaseTtl());
        } catch (RuntimeException e) {
            aggregator.failed();
            ok = false;
            log.warn("chron: lease on {} failed: {}", aggregator.name(), e.getMessage());
        }
        held = ok;
        if (ok) {
            renewedAtNanos = sent;
            validUntilNanos = sent + chronSettings.leaderValidity().toNanos();
            if (!wasLeader) {
                log.info("chron: leader (lease {} on {})", lease.key(), aggregator.name());
            }
        } else if (wasLeader) {
            log.warn("chron: leadership lost; standing by");
        }
        return ok;
    }

    private MwServer firstAggregator() {
        RuntimeException last = null;
        for (MwServer server : aggregators) {
            if (server.isDown()) {
                continue;
            }
            try {
                server.sync().ping();
                return server;
            } catch (RuntimeException e) {
                server.failed();
                last = e;
            }
        }
        throw new IllegalStateException("no aggregator reachable" + (last == null ? " (all down)" : ": " + last.getMessage()));
    }

    private Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", "mediawiki");
        status.put("role", isLeader() ? "leader" : "standby");
        status.put("phpPoolSlot", poolSlot);
        status.put("lastPass", lastPass);
        List<String> down = new ArrayList<>();
        queueServers.stream().filter(MwServer::isDown).forEach(s -> down.add(s.name()));
        status.put("serversDown", down);
        return status;
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }

    private void sleepNanos(long nanos) {
        if (nanos <= 0 || stopped) {
            return;
        }
        synchronized (wake) {
            try {
                TimeUnit.NANOSECONDS.timedWait(wake, nanos);
            } catch (InterruptedException e) {
                stopped = true;
            }
        }
    }
}
