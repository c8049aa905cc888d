package io.jobrunner.bench.runner;

import java.util.List;
import java.util.function.Supplier;

/** The runners the bench can measure, by the name given to {@code --runner}. */
public final class Runners {

    public static final List<String> NAMES = List.of("runner", "client-loop");
    public static final String DEFAULT = "client-loop";

    private Runners() {
    }

    public static Supplier<RunnerUnderTest> named(String name) {
        return switch (name) {
            case "client-loop" -> ClientLoopRunner::new;
            case "runner" -> throw new IllegalArgumentException("the runner is not in this build yet; use --runner client-loop");
            default -> throw new IllegalArgumentException("unknown runner " + name + "; allowed: " + NAMES);
        };
    }
}
