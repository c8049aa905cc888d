package io.jobrunner.cli.faults;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fault tests' job: appends the job's id to the file {@code params.runs} when it starts (one short
 * {@code O_APPEND} write, which survives a SIGKILL of the runner: it is in the kernel once written), then sleeps
 * {@code params.ms} milliseconds, interruptibly. The file is how a test counts runs per job across processes.
 */
public final class RecordingHandler implements JobHandler {

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        Path runs = Path.of(job.params().path("runs").asText());
        Files.write(runs, (job.id() + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        long ms = job.params().path("ms").asLong(0);
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
