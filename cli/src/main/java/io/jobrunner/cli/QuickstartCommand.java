package io.jobrunner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code quickstart}: wired once the module it runs has landed. */
@Command(name = "quickstart", description = "(not yet available in this build)")
public final class QuickstartCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    QuickstartCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: quickstart is not available in this build yet");
        return ExitCodes.FAILURE;
    }
}
