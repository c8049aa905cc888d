package io.jobrunner.runner.executor;

import com.typesafe.config.Config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code command} executors:
 * {@code { kind = command, argv = ["/usr/local/bin/handle-job", "--", "{type}", "{id}"], env { K = V },
 * workdir = "/srv/jobs", max-output = 64k, stop-grace = 5s }}.
 * <ol>
 *   <li>{@code argv} required: a non-empty list of non-empty strings, run without a shell; {@code {type}},
 *       {@code {domain}}, {@code {id}} and {@code {attempt}} are replaced in each argument;</li>
 *   <li>{@code env} optional: variables added to the runner's environment (before the {@code JOB_*} ones);</li>
 *   <li>{@code pass-env} optional: names of more variables of the runner's environment the program gets (it starts
 *       from {@code PATH}, {@code HOME}, {@code LANG}, the {@code JOB_*} variables and {@code env}, never the
 *       runner's whole environment, which may hold the Redis password);</li>
 *   <li>{@code workdir} optional: an existing directory to run in (default: the runner's);</li>
 *   <li>{@code max-output} optional (default 64k, 0 to 16m): bytes kept per stream, the last ones;</li>
 *   <li>{@code stop-grace} optional (default 5s): time between SIGTERM and SIGKILL on cancellation.</li>
 * </ol>
 */
public final class CommandExecutorFactory implements ExecutorFactory {

    static final int DEFAULT_MAX_OUTPUT = 64 * 1024;
    static final int MAX_MAX_OUTPUT = 16 * 1024 * 1024;
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<String> KEYS = Set.of("kind", "argv", "env", "pass-env", "workdir", "max-output", "stop-grace");

    @Override
    public Set<String> kinds() {
        return Set.of("command");
    }

    @Override
    public JobExecutor create(String kind, Config config, String path) {
        ExecutorConfig block = new ExecutorConfig(config, path);
        block.requireOnly(kind, KEYS);
        List<String> argv = block.requiredStringList("argv", "a non-empty list of strings: the program, then its"
                + " arguments, e.g. [\"/usr/local/bin/handle-job\", \"--\", \"{type}\", \"{id}\"] (no shell)");
        Map<String, String> env = block.stringMap("env");
        List<String> passEnv = block.optionalStringList("pass-env", "a list of environment variable names, e.g. [\"TZ\", \"HTTP_PROXY\"]");
        Path workdir = null;
        String dir = block.optionalString("workdir", "an existing directory");
        if (dir != null) {
            workdir = Path.of(dir);
            if (!Files.isDirectory(workdir)) {
                throw block.bad("workdir", "expected an existing directory, but " + workdir.toAbsolutePath()
                        + " is not a directory");
            }
        }
        int maxOutput = block.bytes("max-output", DEFAULT_MAX_OUTPUT, 0, MAX_MAX_OUTPUT);
        Duration stopGrace = block.positiveDuration("stop-grace", DEFAULT_STOP_GRACE);
        return new CommandExecutor(new CommandExecutor.Settings(argv, env, passEnv, workdir, maxOutput, stopGrace));
    }

    /**
     * What {@code check-config} adds on the machine that will run the jobs: the program ({@code argv[0]}) exists and
     * is executable, found as a path (relative ones against {@code workdir}) or, for a bare name, on
     * {@code searchPath} (the PATH the runner will have). A program with a placeholder is chosen per job and not
     * checked. Throws {@link com.typesafe.config.ConfigException.BadValue} naming {@code <path>.argv}.
     */
    public static void requireProgram(Config config, String path, String searchPath) {
        ExecutorConfig block = new ExecutorConfig(config, path);
        String program = block.requiredStringList("argv", "a non-empty list of strings").get(0);
        if (program.contains("{")) {
            return;
        }
        if (program.contains("/")) {
            String dir = block.optionalString("workdir", "an existing directory");
            Path file = dir == null ? Path.of(program) : Path.of(dir).resolve(program);
            if (!Files.isRegularFile(file)) {
                throw block.bad("argv", "the program " + file.toAbsolutePath() + " does not exist (or is not a file)");
            }
            if (!Files.isExecutable(file)) {
                throw block.bad("argv", "the program " + file.toAbsolutePath() + " is not executable (chmod +x)");
            }
            return;
        }
        for (String dir : (searchPath == null ? "" : searchPath).split(java.io.File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, program);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw block.bad("argv", "the program " + program + " is not an executable file on PATH (" + searchPath + ")");
    }
}
