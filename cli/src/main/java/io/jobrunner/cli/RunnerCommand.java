package io.jobrunner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code runner}: wired once the module it runs has landed. */
@Command(name = "runner", description = "(not yet available in this build)")
public final class RunnerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    RunnerCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: runner is not available in this build yet");
        return ExitCodes.FAILURE;
    }
}
