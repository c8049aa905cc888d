package io.jobrunner.chron;

import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Notes the id of every job it runs, in memory (the test's Redis may be the thing that fails), after a few ms of work. */
public class RecordingHandler implements JobHandler {

    static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        Thread.sleep(2);
        RAN.add(job.id());
    }
}
