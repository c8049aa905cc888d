package io.jobrunner.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a command may use of the world around it, passed in rather than read from globals so tests run
 * commands in-process with their own environment variables and captured output:
 * <ul>
 *   <li>{@link #env()}: environment variables (config overrides such as {@code JOBRUNNER_REDIS_PREFIX});</li>
 *   <li>{@link #out()} for results, {@link #err()} for progress and errors, {@link #in()} for {@code -};</li>
 *   <li>{@link #terminal()}: whether a person watches (progress bars, screen refresh) or a script reads;</li>
 *   <li>{@link #workDir()}: where relative paths resolve;</li>
 *   <li>{@link #stopRequest()}: completed when a daemon command (runner, chron, quickstart, run --wait) must
 *       stop; the real process completes it on SIGTERM/SIGINT ({@link #handleSignals()}), tests directly.</li>
 * </ul>
 */
public record CliEnvironment(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in,
                             boolean terminal, Path workDir, CompletableFuture<Void> stopRequest, boolean handleSignals) {

    public CliEnvironment {
        env = Map.copyOf(env);
    }

    /** An environment for running commands in this process (tests): no signal handlers, stopped through {@link #stopRequest()}. */
    public static CliEnvironment inProcess(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in,
                                           boolean terminal, Path workDir) {
        return new CliEnvironment(env, out, err, in, terminal, workDir, new CompletableFuture<>(), false);
    }

    /** The real process: System streams, the real environment, a terminal when a console is attached. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                System.in, System.console() != null, Path.of("").toAbsolutePath(), new CompletableFuture<>(), true);
    }

    /** The value of an environment variable, or null when unset or blank. */
    public String getenv(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public Path resolve(Path path) {
        return workDir.resolve(path);
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
