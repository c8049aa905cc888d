package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/** {@code demo.sendMail}: short high-priority work (10 to 30 ms); the demo pushes some of them delayed. */
public final class SendMailHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws InterruptedException {
        DemoWork.work(job, context, 10, 30);
    }
}
