package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.Limits;
import io.jobrunner.service.LogSetup;
import io.jobrunner.service.RedisSection;
import io.jobrunner.service.RedisWait;
import io.jobrunner.service.ShutdownSignals;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The runner daemon's entry point: {@code runner [--config FILE] [--redis URI]}.
 * <ol>
 *   <li>loads the config ({@link ConfigLoader}: the file over every reference.conf, environment overrides,
 *       {@code --redis} over all), maps and validates the runner, limits and redis sections; a config error
 *       prints the HOCON path and what is allowed and returns exit code 2, before Redis is touched;</li>
 *   <li>connects to Redis, waiting for it as long as it takes when it is not reachable yet ({@link RedisWait}:
 *       backoff, one log line per interval, {@code /status} says why); builds the executors of
 *       {@code jobrunner.executors} (they need the client; a bad block is exit code 2 too), starts a {@link Runner},
 *       and on the first SIGTERM or SIGINT stops it gracefully (shutdown-grace) and returns 0; a second signal
 *       exits at once with 130 ({@link ShutdownSignals}). Other start failures (the endpoint's port taken) exit 1.</li>
 * </ol>
 * The CLI calls {@link #run(Path, String)} for {@code jobrunner runner}; {@link #main} is for {@code java -cp}.
 */
public final class RunnerMain {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;

    private static final String USAGE = "usage: runner [--config FILE] [--redis URI]";

    private RunnerMain() {
    }

    public static void main(String[] args) {
        if (!LogSetup.install(System.getenv(), System.err)) {
            System.exit(2);
        }
        System.exit(run(args));
    }

    /** Parses {@code --config FILE}, {@code --redis URI}, {@code --help}; runs until stopped; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** Runs the daemon with this config file (null: defaults only) and Redis URI (null: from config/environment). */
    public static int run(Path configFile, String redisUri) {
        return run(configFile, redisUri, System.getenv(), System.err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path config = null;
        String redis = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return EXIT_OK;
            } else if ((a.equals("--config") || a.equals("--redis")) && i + 1 < args.length) {
                if (a.equals("--config")) {
                    config = Path.of(args[++i]);
                } else {
                    redis = args[++i];
                }
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("--redis=")) {
                redis = a.substring("--redis=".length());
            } else {
                err.println("runner: unexpected argument '" + a + "'\n" + USAGE);
                return EXIT_CONFIG;
            }
        }
        return run(config, redis, env, err);
    }

    static int run(Path configFile, String redisUri, Map<String, String> env, PrintStream err) {
        Map<String, String> environment = new HashMap<>(env);
        if (redisUri != null) {
            environment.put("JOBRUNNER_REDIS_URI", redisUri);
        }
        Config config;
        ClientSettings clientSettings;
        try {
            config = ConfigLoader.load(configFile, environment);
            RunnerSettings.from(config);
            Limits.from(config);
            clientSettings = RedisSection.clientSettings(config);
            RedisWait.Settings.from(config);
        } catch (ConfigException e) {
            return configError(err, e);
        }
        MetricRegistry metrics = new MetricRegistry();
        CompletableFuture<Void> stopRequest = new CompletableFuture<>();
        ShutdownSignals.install("runner", () -> stopRequest.complete(null));
        RedisWait.Started<Runner> started;
        try {
            RedisWait wait = new RedisWait(RedisWait.Settings.from(config), "runner", clientSettings.uri(),
                    RunnerSettings.from(config).http(), metrics);
            // the executors need the client (git kinds lock repositories in Redis), so they are built once connected
            started = wait.await(() -> JobRunnerClient.connect(clientSettings),
                    client -> Runner.create(config, client, metrics).start(), stopRequest);
        } catch (ConfigException e) {
            return configError(err, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        } catch (JobQueueException | IllegalStateException | IllegalArgumentException e) {
            err.println("runner: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (started == null) {
            return EXIT_OK; // stopped while waiting for Redis
        }
        try (JobRunnerClient client = started.client()) {
            CompletableFuture.anyOf(stopRequest, started.daemon().failure()).join();
            started.daemon().stop();
            return started.daemon().failure().isDone() ? EXIT_FAILURE : EXIT_OK;
        }
    }

    private static int configError(PrintStream err, ConfigException e) {
        err.println("runner: configuration error: " + e.getMessage());
        return EXIT_CONFIG;
    }
}
