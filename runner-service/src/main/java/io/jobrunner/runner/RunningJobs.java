package io.jobrunner.runner;

import io.jobrunner.client.ClaimRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress in this runner: for {@code /status}, and for a stop to cancel what outlives the grace. */
final class RunningJobs {

    private final ConcurrentHashMap<ClaimRef, JobRun> runs = new ConcurrentHashMap<>();

    void add(JobRun run) {
        runs.put(run.claimed().ref(), run);
    }

    void remove(JobRun run) {
        runs.remove(run.claimed().ref());
    }

    int size() {
        return runs.size();
    }

    List<JobRun> snapshot() {
        List<JobRun> out = new ArrayList<>(runs.values());
        out.sort(Comparator.comparingLong(JobRun::elapsedNanos).reversed());
        return out;
    }

    void cancelAll(JobRun.Cancel why) {
        runs.values().forEach(r -> r.cancel(why));
    }
}
