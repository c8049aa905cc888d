package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;

/**
 * A {@link JobHandler} that needs only the job: {@code job -> mailer.send(job.params().get("to").asText())}.
 * Same outcomes, threading and cancellation as {@link JobHandler} (the thread is interrupted on cancellation).
 */
@FunctionalInterface
public interface SimpleJobHandler {

    void handle(Job job) throws Exception;

    /** This handler as a {@link JobHandler} that ignores the context. */
    default JobHandler withContext() {
        SimpleJobHandler self = this;
        return new JobHandler() {
            @Override
            public void handle(Job job, JobContext context) throws Exception {
                self.handle(job);
            }

            @Override
            public String toString() {
                return self.getClass().getName();
            }
        };
    }
}
