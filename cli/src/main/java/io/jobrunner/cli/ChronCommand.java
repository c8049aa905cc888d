package io.jobrunner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code chron}: wired once the module it runs has landed. */
@Command(name = "chron", description = "(not yet available in this build)")
public final class ChronCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    ChronCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: chron is not available in this build yet");
        return ExitCodes.FAILURE;
    }
}
