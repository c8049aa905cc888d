package io.jobrunner.examples.spring;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;
import io.jobrunner.runner.executor.PermanentJobException;
import io.jobrunner.spring.JobType;
import org.springframework.stereotype.Component;

/** Runs {@code sendMail} jobs: a bean like any other, found by its {@link JobType}. */
@Component
@JobType("sendMail")
public class WelcomeMail implements JobHandler {

    private final Outbox outbox;

    public WelcomeMail(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        String to = job.params().path("to").asText("");
        if (!to.contains("@")) {
            throw new PermanentJobException("not a mail address: '" + to + "'"); // retrying cannot help
        }
        context.log().info("sending '{}' to {} (attempt {})", job.params().path("template").asText(), to, context.attempt());
        outbox.send(to, job.params().path("template").asText("welcome"));
    }
}
