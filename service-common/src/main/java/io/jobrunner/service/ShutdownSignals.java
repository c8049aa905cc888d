package io.jobrunner.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT for the daemons: the first starts a graceful stop on its own thread; a second one
 * exits at once (exit code 130). Jobs still claimed then come back through the chron.
 */
public final class ShutdownSignals {

    /** The exit code of a second signal. */
    public static final int EXIT_SECOND_SIGNAL = 130;

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    public static void install(String daemon, Runnable gracefulStop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        log.info("{}: SIG{} received, stopping gracefully (send it again to exit at once)", daemon, signal.getName());
                        Thread t = new Thread(gracefulStop, daemon + "-shutdown");
                        t.start();
                    } else {
                        log.warn("{}: second signal, exiting now; claimed jobs come back through the chron", daemon);
                        Runtime.getRuntime().halt(EXIT_SECOND_SIGNAL);
                    }
                });
            } catch (IllegalArgumentException e) {
                log.debug("signal {} cannot be handled here: {}", name, e.getMessage());
            }
        }
    }
}
