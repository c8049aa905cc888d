package io.jobrunner.cli;

import io.jobrunner.testing.TestRedis;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real commands in this process with captured output and an environment of the test's own. */
final class Cli {

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The test's own environment; PATH is the real one, as a command executor's program is looked up on it. */
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
    private InputStream stdin = new ByteArrayInputStream(new byte[0]);
    private boolean terminal;
    private Path workDir = Path.of("").toAbsolutePath();

    /** No Redis: for usage errors and config checks. */
    static Cli plain() {
        return new Cli();
    }

    /** Commands against the test's Redis and key prefix (prefix through the environment, URI through --redis). */
    static Cli on(TestRedis redis) {
        Cli cli = new Cli();
        cli.env.put("JOBRUNNER_REDIS_PREFIX", redis.prefix());
        cli.redisUri = redis.uri();
        return cli;
    }

    private String redisUri;

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli stdin(String text) {
        stdin = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Cli terminal(boolean isTerminal) {
        terminal = isTerminal;
        return this;
    }

    Cli workDir(Path dir) {
        workDir = dir;
        return this;
    }

    /** Runs {@code args}, adding {@code --redis URI} after the command words when this Cli has a Redis. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (redisUri != null) {
            all.add("--redis");
            all.add(redisUri);
        }
        return runExactly(all.toArray(String[]::new));
    }

    Result runExactly(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = CliEnvironment.inProcess(env, new PrintWriter(out, true), new PrintWriter(err, true),
                stdin, terminal, workDir);
        int code = Main.execute(environment, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A long-running command (runner, chron, quickstart) on a thread of its own, stopped by {@link Running#stop()}. */
    Running start(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (redisUri != null) {
            all.add("--redis");
            all.add(redisUri);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = CliEnvironment.inProcess(env, new PrintWriter(out, true), new PrintWriter(err, true),
                stdin, terminal, workDir);
        CompletableFuture<Integer> code = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                code.complete(Main.execute(environment, all.toArray(String[]::new)));
            } catch (Throwable t) {
                code.completeExceptionally(t);
            }
        }, "cli-" + args[0]);
        thread.setDaemon(true);
        thread.start();
        return new Running(environment, code, out, err);
    }

    /** A command running on its own thread. */
    record Running(CliEnvironment environment, CompletableFuture<Integer> code, StringWriter out, StringWriter err) {

        /** What it printed so far. */
        String output() {
            return out.toString() + err.toString();
        }

        /** Requests a stop (as SIGTERM would) and waits for the exit code. */
        Result stop() throws Exception {
            environment.stopRequest().complete(null);
            int exit = code.get(60, TimeUnit.SECONDS);
            return new Result(exit, out.toString(), err.toString());
        }

        /** Waits for the command to end by itself. */
        Result await(long seconds) throws Exception {
            int exit = code.get(seconds, TimeUnit.SECONDS);
            return new Result(exit, out.toString(), err.toString());
        }
    }
}
