package io.jobrunner.runner;

import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.DaemonMain;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The runner daemon's standalone entry point: {@code runner [--config FILE] [--redis URI]}, for
 * {@code java -cp}. It runs the same {@link DaemonLifecycle} as the CLI's {@code jobrunner runner}, with the
 * {@link RunnerDaemon}: a config error is exit 2 before Redis is touched; it waits for Redis as long as it takes,
 * starts, and stops gracefully on SIGTERM or SIGINT (exit 0); a start failure is exit 1, a second signal 130.
 */
public final class RunnerMain {

    public static final int EXIT_OK = DaemonLifecycle.EXIT_OK;
    public static final int EXIT_FAILURE = DaemonLifecycle.EXIT_FAILURE;
    public static final int EXIT_CONFIG = DaemonLifecycle.EXIT_CONFIG;

    private RunnerMain() {
    }

    public static void main(String[] args) {
        DaemonMain.main(new RunnerDaemon(System.getenv("PATH")), args);
    }

    /** Parses {@code --config FILE}, {@code --redis URI}, {@code --help}; runs until stopped; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** Runs the daemon with this config file (null: defaults only) and Redis URI (null: from config/environment). */
    public static int run(Path configFile, String redisUri) {
        return DaemonMain.run(new RunnerDaemon(System.getenv("PATH")), configFile, redisUri, System.getenv(), System.err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return DaemonMain.run(new RunnerDaemon(env.get("PATH")), args, env, out, err);
    }
}
