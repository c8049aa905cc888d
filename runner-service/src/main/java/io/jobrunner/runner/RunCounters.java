package io.jobrunner.runner;

import java.util.concurrent.atomic.AtomicLong;

/** This runner's totals since it started (for {@link RunSummary} and {@code /status}); one instance per runner. */
final class RunCounters {
    final AtomicLong started = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final AtomicLong requeued = new AtomicLong();
}
