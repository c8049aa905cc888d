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

/** Runs real commands in this process with captured output and an environment of the test's own. */
final class Cli {

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();
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
        CliEnvironment environment = new CliEnvironment(env, new PrintWriter(out, true), new PrintWriter(err, true),
                stdin, terminal, workDir);
        int code = Main.execute(environment, args);
        return new Result(code, out.toString(), err.toString());
    }
}
