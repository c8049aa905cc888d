package io.jobrunner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code run}: wired once the module it runs has landed. */
@Command(name = "run", description = "(not yet available in this build)")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    RunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: run is not available in this build yet");
        return ExitCodes.FAILURE;
    }
}
