package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/** {@code demo.thumbnail}: the bulk of the demo, short high-priority work (20 to 60 ms). */
public final class ThumbnailHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws InterruptedException {
        DemoWork.work(job, context, 20, 60);
    }
}
