package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/** {@code demo.refreshCache}: de-duplicated work (the demo pushes each page twice; the second is dropped). */
public final class RefreshCacheHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws InterruptedException {
        DemoWork.work(job, context, 20, 40);
    }
}
