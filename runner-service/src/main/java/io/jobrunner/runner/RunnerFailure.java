package io.jobrunner.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * What happens when an essential thread of the runner (the heartbeat: claims would no longer be extended or fenced;
 * the timeout thread: runs would no longer be stopped) dies of an {@link Error}: the failure is recorded once
 * ({@link #future()}, shown by {@code /status} and failing {@code /health}) and the runner is stopped on a thread of
 * its own, giving its jobs back; a daemon then exits 1 so its supervisor starts a fresh process.
 */
final class RunnerFailure implements Thread.UncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RunnerFailure.class);

    private final String runnerId;
    private final Runnable stop;
    private final CompletableFuture<String> future = new CompletableFuture<>();

    RunnerFailure(String runnerId, Runnable stop) {
        this.runnerId = runnerId;
        this.stop = stop;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        String what = thread.getName() + " died of " + e;
        log.error("runner {}: {}; stopping the runner (its jobs are given back)", runnerId, what, e);
        if (future.complete(what)) {
            Thread stopper = new Thread(stop, "runner-failure-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** Completes with what happened when an essential thread died. */
    CompletableFuture<String> future() {
        return future;
    }

    boolean happened() {
        return future.isDone();
    }
}
