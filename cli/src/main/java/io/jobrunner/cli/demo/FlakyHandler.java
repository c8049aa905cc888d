package io.jobrunner.cli.demo;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;
import io.jobrunner.runner.executor.RetryableJobException;

import java.time.Duration;

/**
 * {@code demo.flaky}: fails its first attempt with a retryable error (asking to be retried after 300 ms),
 * then succeeds: what a timeout from a remote service looks like, and how retries heal it.
 */
public final class FlakyHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws InterruptedException, RetryableJobException {
        DemoWork.work(job, context, 10, 30);
        if (context.attempt() == 1) {
            throw new RetryableJobException("demo: the remote service timed out (attempt 1 always fails)", Duration.ofMillis(300));
        }
    }
}
