package io.jobrunner.bench.runner;

import io.jobrunner.client.Job;

/** What the runner under test does with each job: the bench's in-process no-op handler, which only records. */
@FunctionalInterface
public interface BenchHandler {

    /** Called on the slot's thread when the job starts; returns at once (a no-op job). */
    void handle(Job job);
}
