package io.jobrunner.mediawiki.chron;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.chron.Chron;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The chron's metrics in MediaWiki mode, in the {@link MetricRegistry} it was given, named and labelled for
 * Prometheus ({@link MetricName}) like the native chron's; {@link #SPECS} lists each family with its HELP text:
 * per wiki (its wiki ID) and job type the jobs each pass recycled, abandoned, undelayed, pruned and dropped as
 * orphans; per queue server its failures; the pass time, the queues a pass visited and found ready, the passes the
 * PHP chron's pool lock made skip, bad set members and failed steps; and the native leader gauge.
 */
final class MwChronMetrics {

    static final String RECYCLED = "jobrunner_mediawiki_chron_jobs_recycled";
    static final String ABANDONED = "jobrunner_mediawiki_chron_jobs_abandoned";
    static final String PROMOTED = "jobrunner_mediawiki_chron_jobs_promoted";
    static final String PRUNED = "jobrunner_mediawiki_chron_jobs_pruned";
    static final String ORPHANS = "jobrunner_mediawiki_chron_orphans";
    static final String BAD_MEMBERS = "jobrunner_mediawiki_chron_bad_members";
    static final String RACED = "jobrunner_mediawiki_chron_raced";
    static final String SERVER_FAILURES = "jobrunner_mediawiki_chron_server_failures";
    static final String ERRORS = "jobrunner_mediawiki_chron_errors";
    static final String PASS_SECONDS = "jobrunner_mediawiki_chron_pass_seconds";
    static final String QUEUES = "jobrunner_mediawiki_chron_queues";
    static final String READY_QUEUES = "jobrunner_mediawiki_chron_ready_queues";
    static final String LEADER = "jobrunner_chron_leader";

    /** The families only MediaWiki mode exports. */
    static final List<MetricSpec> OWN_SPECS = List.of(
            MetricSpec.counter(RECYCLED + "_total", "Expired MediaWiki claims put back to ready (their batch died or was killed).", "wiki", "type"),
            MetricSpec.counter(ABANDONED + "_total", "Expired MediaWiki claims abandoned because they used their attempts.", "wiki", "type"),
            MetricSpec.counter(PROMOTED + "_total", "Delayed MediaWiki jobs moved to ready once due.", "wiki", "type"),
            MetricSpec.counter(PRUNED + "_total", "Abandoned MediaWiki jobs deleted after the retention.", "wiki", "type"),
            MetricSpec.counter(ORPHANS + "_total", "Expired MediaWiki claims whose job data was gone (dropped).", "wiki", "type"),
            MetricSpec.counter(BAD_MEMBERS + "_total", "Members of s-queuesWithJobs that are not a [type, domain] MediaWiki can have (left alone)."),
            MetricSpec.counter(RACED + "_total", "Passes skipped because PHP chrons held every slot of their pool lock."),
            MetricSpec.counter(SERVER_FAILURES + "_total", "Queue servers skipped in a pass or a prune because they failed.", "server"),
            MetricSpec.counter(ERRORS + "_total", "Chron steps that failed (logged; retried at the next interval)."),
            MetricSpec.histogram(PASS_SECONDS, "Time one pass over every MediaWiki queue took, ready map included, in seconds."),
            MetricSpec.gauge(QUEUES, "Queues the last pass visited."),
            MetricSpec.gauge(READY_QUEUES, "Queues the last pass found with ready jobs (the ready map's size)."));

    /** Every family the chron exports in MediaWiki mode: its own and the native leader gauge. */
    static final List<MetricSpec> SPECS = Stream.concat(OWN_SPECS.stream(),
            Chron.metricSpecs().stream().filter(s -> Set.of(LEADER).contains(s.name()))).toList();

    private final MetricRegistry registry;
    private final Meter badMembers;
    private final Meter raced;
    private final Meter errors;
    private final Timer pass;

    MwChronMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.badMembers = registry.meter(BAD_MEMBERS);
        this.raced = registry.meter(RACED);
        this.errors = registry.meter(ERRORS);
        this.pass = BucketedTimer.in(registry, PASS_SECONDS);
    }

    MetricRegistry registry() {
        return registry;
    }

    /** Marks {@code n} (when positive) on {@code family} for the wiki and type. */
    void count(String family, String wiki, String type, long n) {
        if (n > 0) {
            registry.meter(MetricName.of(family, "wiki", wiki, "type", type)).mark(n);
        }
    }

    void serverFailed(String server) {
        registry.meter(MetricName.of(SERVER_FAILURES, "server", server)).mark();
    }

    Meter badMembers() {
        return badMembers;
    }

    Meter raced() {
        return raced;
    }

    Meter errors() {
        return errors;
    }

    Timer pass() {
        return pass;
    }

    <T> void gauge(String name, Supplier<T> value) {
        registry.gauge(name, () -> (Gauge<T>) value::get);
    }
}
