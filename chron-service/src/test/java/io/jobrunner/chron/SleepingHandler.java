package io.jobrunner.chron;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

/** A job that takes a minute: what the doomed runner in {@link KilledRunnerRecoveryIT} is busy with when it is killed. */
public class SleepingHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        Thread.sleep(60_000);
    }
}
