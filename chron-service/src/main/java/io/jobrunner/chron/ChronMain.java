package io.jobrunner.chron;

import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.DaemonMain;

import java.io.PrintStream;

/**
 * The chron daemon's standalone entry point: {@code chron [--config FILE] [--redis URI]}, for {@code java -cp}.
 * It runs the same {@link DaemonLifecycle} as the CLI's {@code jobrunner chron}, with the {@link ChronDaemon}:
 * exit 0 after a graceful stop (also while waiting for Redis), 1 when it cannot start (the endpoint cannot bind),
 * 2 on a usage or config error (the message names the HOCON path and what is allowed), 130 after a second signal.
 */
public final class ChronMain {

    static final String USAGE = DaemonMain.usage("chron");

    private ChronMain() {
    }

    public static void main(String[] args) {
        DaemonMain.main(new ChronDaemon(), args);
    }

    /** Runs the daemon until SIGTERM/SIGINT; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonMain.run(new ChronDaemon(), args, System.getenv(), out, err);
    }
}
