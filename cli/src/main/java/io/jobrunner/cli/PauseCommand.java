package io.jobrunner.cli;

import io.jobrunner.client.JobRunnerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pause [NAME]} and {@code resume NAME}: runners stop (start again) claiming from a queue
 * ({@code domain/type}) or a type in every domain ({@code *}{@code /type}) within one refresh interval; jobs are
 * still pushed, promoted and recycled, so nothing is lost. {@code pause} alone lists what is paused.
 */
public final class PauseCommand {

    private PauseCommand() {
    }

    @Command(name = "pause", description = {"Pause a queue (domain/type) or a type in every domain (*/type): runners stop",
            "claiming from it; pushes go on. Without NAME: list what is paused."})
    static final class Pause implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "domain/type or */type")
        String name;

        private final CliEnvironment env;

        Pause(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            try (JobRunnerClient client = common.connect(env)) {
                if (name == null) {
                    Map<String, Long> paused = client.operations().paused();
                    paused.forEach((n, at) -> env.out().println(n + "  paused since " + Instant.ofEpochMilli(at)));
                    if (paused.isEmpty()) {
                        env.out().println("nothing is paused");
                    }
                    return ExitCodes.OK;
                }
                boolean changed = change(client, spec, name, true);
                env.out().println(changed ? "paused " + name : name + " was already paused");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "resume", description = "Resume a paused queue (domain/type) or type (*/type); runners are woken for its ready jobs.")
    static final class Resume implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "domain/type or */type")
        String name;

        private final CliEnvironment env;

        Resume(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            try (JobRunnerClient client = common.connect(env)) {
                boolean changed = change(client, spec, name, false);
                env.out().println(changed ? "resumed " + name : name + " was not paused");
                return ExitCodes.OK;
            }
        }
    }

    private static boolean change(JobRunnerClient client, CommandSpec spec, String name, boolean pause) {
        try {
            return pause ? client.operations().pause(name) : client.operations().resume(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
