package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;

import java.util.concurrent.ThreadLocalRandom;

/** What every demo handler does to look like work: an interruptible sleep of a job-chosen length. */
final class DemoWork {

    private DemoWork() {
    }

    /** Sleeps {@code params.ms} milliseconds when given, else a random time in [min, max). */
    static void work(Job job, JobContext context, int minMillis, int maxMillis) throws InterruptedException {
        int ms = job.params().path("ms").asInt(-1);
        if (ms < 0) {
            ms = ThreadLocalRandom.current().nextInt(minMillis, maxMillis);
        }
        if (context.cancelled()) {
            throw new InterruptedException("cancelled");
        }
        Thread.sleep(ms);
    }
}
