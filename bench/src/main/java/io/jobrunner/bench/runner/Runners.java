package io.jobrunner.bench.runner;

import java.util.List;
import java.util.function.Supplier;

/**
 * The runners the bench can measure, by the name given to {@code --runner}: {@code runner} (the real one with
 * the {@code java} executor kind), {@code runner-inline} (the real one with an in-process executor on the
 * slot thread), {@code client-loop} (a baseline on queue-client alone).
 */
public final class Runners {

    public static final List<String> NAMES = List.of("runner", "runner-inline", "client-loop");
    public static final String DEFAULT = "runner";

    private Runners() {
    }

    public static Supplier<RunnerUnderTest> named(String name) {
        return switch (name) {
            case "client-loop" -> ClientLoopRunner::new;
            case "runner" -> () -> new RealRunner(true);
            case "runner-inline" -> () -> new RealRunner(false);
            default -> throw new IllegalArgumentException("unknown runner " + name + "; allowed: " + NAMES);
        };
    }
}
