package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/** {@code demo.reindex}: the low-priority class, longer work (80 to 150 ms) that gets its share of slot time. */
public final class ReindexHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws InterruptedException {
        DemoWork.work(job, context, 80, 150);
    }
}
