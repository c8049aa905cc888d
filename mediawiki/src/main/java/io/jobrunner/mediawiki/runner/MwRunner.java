package io.jobrunner.mediawiki.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.runner.GroupSettings;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.runner.executor.ProcessTree;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.ProbeResult;
import io.jobrunner.service.metrics.MetricSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner in MediaWiki mode: runs {@code runJobs.php} batches of the queues the chron's ready map lists.
 * <ol>
 *   <li>builds the shared parts (ready view, backoffs, running batches, batch launcher) and one {@link BatchGroup}
 *       per enabled group;</li>
 *   <li>serves {@code /health} (503 while the ready map is stale or unreadable), {@code /status} and
 *       {@code /metrics};</li>
 *   <li>{@link #stop}: stops picking, lets running batches end on their own for up to {@code shutdown-grace}, then
 *       stops each remaining process tree (SIGTERM, SIGKILL after {@code stop-grace}); their jobs come back after
 *       claim-ttl through the chron (see {@link MwBatch} for the delivery contract).</li>
 * </ol>
 */
public final class MwRunner {

    private static final Logger log = LoggerFactory.getLogger(MwRunner.class);

    private final MwSettings settings;
    private final RunnerSettings runnerSettings;
    private final MwRunnerMetrics metrics;
    private final Clock clock;
    private final List<MwServer> servers = new ArrayList<>();
    private final MwReadyView view;
    private final MwBackoffs backoffs;
    private final RunningBatches running;
    private final ExecutorService streams;
    private final List<BatchGroup> groups = new ArrayList<>();
    private HttpEndpoint http;

    public MwRunner(MwSettings settings, RunnerSettings runnerSettings, MetricRegistry metrics, Clock clock) {
        this.settings = settings;
        this.runnerSettings = runnerSettings;
        this.metrics = new MwRunnerMetrics(metrics);
        this.clock = clock;
        List<MwServer> queueServers = settings.queues().stream().map(s -> new MwServer(s, settings.downTime())).toList();
        List<MwServer> aggregators = settings.aggregators().stream().map(s -> new MwServer(s, settings.downTime())).toList();
        servers.addAll(queueServers);
        servers.addAll(aggregators);
        this.view = new MwReadyView(aggregators, runnerSettings.refreshInterval(), settings.staleAfter(), clock, this.metrics);
        this.backoffs = new MwBackoffs(settings.backoff().errorInitial(), settings.backoff().errorMax());
        this.running = new RunningBatches(runnerSettings.perType(), runnerSettings.perDomain());
        AtomicInteger n = new AtomicInteger();
        this.streams = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "batch-output-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BatchOutcomes outcomes = new BatchOutcomes(settings.backoff(), backoffs, view, this.metrics, clock);
        BatchGroup.Shared shared = new BatchGroup.Shared(settings, view, backoffs, running, outcomes, new MwBatch(settings.dispatch(), streams),
                new HttpBatch(settings.dispatch()), queueServers, this.metrics, clock, runnerSettings.refreshInterval(), new ConcurrentHashMap<>());
        for (GroupSettings group : runnerSettings.groups()) {
            if (group.enabled()) {
                BatchGroup g = new BatchGroup(group, runnerSettings.shareWindow(), shared);
                groups.add(g);
                this.metrics.groupGauges(group.name(), g::highShare, g::utilisation, group.slots());
            }
        }
        this.metrics.gauge(MwRunnerMetrics.BACKOFFS, () -> backoffs.count(clock.millis()));
        this.metrics.gauge(MwRunnerMetrics.BATCHES_RUNNING, running::size);
    }

    public String id() {
        return runnerSettings.id();
    }

    public void start() {
        http = HttpEndpoint.start(runnerSettings.http(), "runner", new HttpEndpoint.Content(metrics.registry(), MwRunnerMetrics.SPECS, this::status,
                this::liveness,
                () -> ProbeResult.of("ready map", view.healthy(), view.healthy() ? "read" : "stale or unreadable")));
        groups.forEach(BatchGroup::start);
        log.info("runner {} (mediawiki mode): {} group(s), {} slot(s), dispatch {}", id(), groups.size(),
                runnerSettings.groups().stream().filter(GroupSettings::enabled).mapToInt(GroupSettings::slots).sum(),
                settings.dispatch().kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Every Prometheus family the runner exports in MediaWiki mode, with its HELP text. */
    public static List<MetricSpec> metricSpecs() {
        return MwRunnerMetrics.SPECS;
    }

    /** The MediaWiki-mode families the native runner does not export. */
    public static List<MetricSpec> ownMetricSpecs() {
        return MwRunnerMetrics.OWN_SPECS;
    }

    /** Live while every slot thread runs (a slot that died of an Error is replaced at once). */
    private ProbeResult liveness() {
        int slots = groups.stream().mapToInt(BatchGroup::slots).sum();
        int alive = groups.stream().mapToInt(BatchGroup::slotsAlive).sum();
        boolean stopped = groups.stream().anyMatch(BatchGroup::stopping);
        return ProbeResult.of("slots", stopped || alive == slots, alive + " of " + slots + " slot threads alive");
    }

    public int httpPort() {
        return http == null ? 0 : http.port();
    }

    public void stop() throws InterruptedException {
        groups.forEach(BatchGroup::stopPicking);
        long deadline = System.nanoTime() + runnerSettings.shutdownGrace().toNanos();
        if (running.size() > 0) {
            log.info("runner: waiting up to {}s for {} running batch(es)", runnerSettings.shutdownGrace().toSeconds(), running.size());
        }
        boolean ended = true;
        for (BatchGroup g : groups) {
            ended &= g.awaitSlots(deadline);
        }
        if (!ended) {
            List<Process> left = running.processes();
            log.warn("runner: {} batch(es) still running after the shutdown grace: stopping their process trees; their jobs "
                    + "come back after the claim TTL", left.size());
            left.forEach(p -> ProcessTree.kill(p, settings.dispatch().stopGrace(), log));
            for (BatchGroup g : groups) {
                g.awaitSlots(System.nanoTime() + settings.dispatch().stopGrace().toNanos() * 2 + 5_000_000_000L);
            }
        }
        if (http != null) {
            http.close();
        }
        streams.shutdownNow();
        servers.forEach(MwServer::close);
        log.info("runner {} stopped", id());
    }

    private Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        long now = clock.millis();
        status.put("id", id());
        status.put("mode", "mediawiki");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("epoch", view.epoch());
        map.put("ageSeconds", view.epoch() == 0 ? null : now / 1000 - view.epoch());
        map.put("queues", view.size());
        map.put("healthy", view.healthy());
        if (!view.healthy()) {
            map.put("problem", view.staleness());
        }
        status.put("readyMap", map);
        status.put("running", running.status());
        status.put("backoffs", backoffs.active(now));
        List<Map<String, Object>> groupStatus = new ArrayList<>();
        for (BatchGroup g : groups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", g.name());
            m.put("highShare", g.highShare());
            m.put("utilisation", g.utilisation());
            groupStatus.add(m);
        }
        status.put("groups", groupStatus);
        return status;
    }
}
