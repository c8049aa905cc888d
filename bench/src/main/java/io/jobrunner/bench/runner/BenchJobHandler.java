package io.jobrunner.bench.runner;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/**
 * The bench's job handler as the real runner loads it ({@code executors."*" { kind = java, class = ... }}):
 * the runner makes its own instance by name, so the instance forwards to the {@link BenchHandler} of the
 * runner the bench started last. The bench runs one runner at a time, hence one static target.
 */
public final class BenchJobHandler implements JobHandler {

    private static volatile BenchHandler target = job -> { };

    /** Routes every job the runner's instances get to {@code handler}. */
    static void route(BenchHandler handler) {
        target = handler;
    }

    @Override
    public void handle(Job job, JobContext context) {
        target.handle(job);
    }
}
