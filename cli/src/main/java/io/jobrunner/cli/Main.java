package io.jobrunner.cli;

import picocli.CommandLine;

/**
 * The entry point of {@code bin/jobrunner} (the fat jar's Main-Class).
 * <ol>
 *   <li>builds the picocli command tree ({@link JobrunnerCommand}) with the commands' environment;</li>
 *   <li>maps every outcome to an exit code through {@link ExitCodes}: 0 ok, 1 failure, 2 usage or config;</li>
 *   <li>{@link #execute} runs a command in-process (tests), {@link #main} exits the JVM with its code.</li>
 * </ol>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = execute(CliEnvironment.system(), args);
        System.exit(code);
    }

    /** Runs one command line in this process with the given environment; returns the exit code. */
    public static int execute(CliEnvironment env, String... args) {
        int code = commandLine(env).execute(args);
        env.flush();
        return code;
    }

    /** The command tree, wired to the environment's streams and exit-code mapping. */
    public static CommandLine commandLine(CliEnvironment env) {
        ExitCodes exitCodes = new ExitCodes(env);
        CommandLine cmd = new CommandLine(JobrunnerCommand.class, new CommandFactory(env));
        cmd.setOut(env.out());
        cmd.setErr(env.err());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler(exitCodes);
        cmd.setExecutionExceptionHandler(exitCodes);
        cmd.setUsageHelpAutoWidth(true);
        return cmd;
    }
}
