package io.jobrunner.chron;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One chron duty. A run works in bounded batches until a short batch comes back, is idempotent (running it
 * twice, or in two processes at once, changes nothing more than running it once), checks {@code stillLeader}
 * between batches and stops early when it turns false, and returns what it did as counts (also marked as
 * metrics). {@link DutyLoop} runs it on its own thread while this process leads.
 */
interface Duty {

    /** Short name used in thread names, metrics and the status: due, repair, prune, gauges. */
    String name();

    /** One run. */
    Map<String, Long> run(BooleanSupplier stillLeader);

    /** How long to wait before the next run, jittered. */
    Duration nextDelay();
}
