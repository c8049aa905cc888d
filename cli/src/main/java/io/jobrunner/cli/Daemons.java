package io.jobrunner.cli;

import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.ShutdownSignals;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Waiting for the end of a long-running command (runner, chron, quickstart, {@code run --wait}): SIGTERM or
 * SIGINT in the real process (the first one starts a graceful stop, a second exits at once), or the
 * environment's {@link CliEnvironment#stopRequest()} in tests.
 */
final class Daemons {

    private Daemons() {
    }

    /** What stops a daemon run through {@link DaemonLifecycle} in this environment. */
    static DaemonLifecycle.Stop stop(CliEnvironment env) {
        return new DaemonLifecycle.Stop(env.stopRequest(), env.handleSignals());
    }

    /** A daemon's start-up line, on the command's stderr. */
    static Consumer<String> say(CliEnvironment env) {
        return line -> {
            env.err().println(line);
            env.err().flush();
        };
    }

    /** Installs the signal handlers when the environment wants them; a signal completes the stop request. */
    static void onStopSignals(CliEnvironment env, String name) {
        if (env.handleSignals()) {
            ShutdownSignals.install(name, () -> env.stopRequest().complete(null));
        }
    }

    /** Blocks until a stop is requested. */
    static void awaitStop(CliEnvironment env) throws InterruptedException {
        awaitStop(env, new CompletableFuture<>());
    }

    /** Blocks until a stop is requested or the daemon failed; true when it failed (the command then exits 1). */
    static boolean awaitStop(CliEnvironment env, CompletableFuture<String> failure) throws InterruptedException {
        return DaemonLifecycle.awaitStop(env.stopRequest(), failure);
    }
}
