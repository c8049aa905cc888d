package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Schedule;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.Limits;
import io.jobrunner.service.LogSetup;
import io.jobrunner.service.RedisSection;
import io.jobrunner.service.RedisWait;
import io.jobrunner.service.ShutdownSignals;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The chron daemon's entry point: {@code chron [--config FILE] [--redis URI]}.
 * <ol>
 *   <li>loads the config (the file over every {@code reference.conf}, environment overrides, then
 *       {@code --redis}) and validates every section the chron reads before touching Redis;</li>
 *   <li>connects, waiting for Redis as long as it takes when it is not reachable yet ({@link RedisWait}), starts a
 *       {@link Chron} with JMX and the HTTP endpoint, and runs until SIGTERM or SIGINT;</li>
 *   <li>on the signal, stops gracefully (duties, then the lease is released so a standby takes over at once).</li>
 * </ol>
 * Exit codes: 0 after a graceful stop (also while waiting for Redis), 1 when the endpoint cannot bind, 2 on a usage
 * or config error (the message names the HOCON path and what is allowed).
 */
public final class ChronMain {

    static final String USAGE = "usage: chron [--config FILE] [--redis URI]";

    private ChronMain() {
    }

    public static void main(String[] args) {
        if (!LogSetup.install(System.getenv(), System.err)) {
            System.exit(2);
        }
        System.exit(run(args));
    }

    /** Runs the daemon until SIGTERM/SIGINT; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile = null;
        String redisUri = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            boolean takesValue = arg.equals("--config") || arg.equals("--redis");
            if (!takesValue || i + 1 >= args.length) {
                err.println("chron: " + (takesValue ? arg + " needs a value" : "unknown argument " + arg));
                err.println(USAGE);
                return 2;
            }
            String value = args[++i];
            if (arg.equals("--config")) {
                configFile = Path.of(value);
            } else {
                redisUri = value;
            }
        }
        Loaded loaded;
        try {
            loaded = load(configFile, redisUri);
        } catch (ConfigException e) {
            err.println("chron: config error: " + e.getMessage());
            return 2;
        }
        return runDaemon(loaded, err);
    }

    /** The validated sections the chron needs. */
    record Loaded(Config config, ClientSettings client, ChronSettings chron, Limits limits, List<Schedule> schedules,
                  RedisWait.Settings startupWait) {
    }

    /** Loads and validates; throws {@link ConfigException} naming the path of the first bad value. */
    static Loaded load(Path configFile, String redisUri) {
        Config config = ConfigLoader.load(configFile);
        if (redisUri != null) {
            config = config.withValue("jobrunner.redis.uri", ConfigValueFactory.fromAnyRef(redisUri, "--redis"));
        }
        return new Loaded(config, RedisSection.clientSettings(config), ChronSettings.from(config), Limits.from(config),
                Chron.schedules(config), RedisWait.Settings.from(config));
    }

    private static int runDaemon(Loaded loaded, PrintStream err) {
        MetricRegistry metrics = new MetricRegistry();
        CompletableFuture<Void> stopRequest = new CompletableFuture<>();
        ShutdownSignals.install("chron", () -> stopRequest.complete(null));
        RedisWait wait = new RedisWait(loaded.startupWait(), "chron", loaded.client().uri(), loaded.chron().http(), metrics);
        RedisWait.Started<Chron> started;
        try {
            started = wait.await(() -> JobRunnerClient.connect(loaded.client()), client -> {
                Chron chron = Chron.create(loaded.chron(), loaded.limits(), loaded.schedules(), client, metrics);
                chron.start();
                return chron;
            }, stopRequest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (JobQueueException | IllegalStateException | IllegalArgumentException e) {
            err.println("chron: " + e.getMessage());
            return 1;
        }
        if (started == null) {
            return 0; // stopped while waiting for Redis
        }
        try (JobRunnerClient client = started.client(); JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.chron").build()) {
            jmx.start();
            CompletableFuture.anyOf(stopRequest, started.daemon().failure()).join();
            started.daemon().stop();
            return started.daemon().failure().isDone() ? 1 : 0;
        }
    }
}
