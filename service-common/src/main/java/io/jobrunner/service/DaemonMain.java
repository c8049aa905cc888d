package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.client.JobQueueException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The standalone front end of a daemon ({@code java -cp ... RunnerMain|ChronMain [--config FILE] [--redis URI]}):
 * parses the arguments, loads the config ({@link ConfigLoader}: the file over every {@code reference.conf},
 * environment overrides, {@code --redis} over all) and runs the {@link DaemonLifecycle}, turning what fails into
 * its exit codes with one line on stderr.
 */
public final class DaemonMain {

    private DaemonMain() {
    }

    /** {@code usage: <name> [--config FILE] [--redis URI]}. */
    public static String usage(String name) {
        return "usage: " + name + " [--config FILE] [--redis URI]";
    }

    /** Installs the log setup from the environment, runs, and exits the JVM with the exit code. */
    public static void main(DaemonLifecycle.Kind<?> kind, String[] args) {
        if (!LogSetup.install(System.getenv(), System.err)) {
            System.exit(DaemonLifecycle.EXIT_CONFIG);
        }
        System.exit(run(kind, args, System.getenv(), System.out, System.err));
    }

    /** Parses {@code --config FILE}, {@code --redis URI} (or {@code --opt=value}), {@code --help}; runs until stopped. */
    public static int run(DaemonLifecycle.Kind<?> kind, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String name = kind.name();
        Path configFile = null;
        String redisUri = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println(usage(name));
                return DaemonLifecycle.EXIT_OK;
            }
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!option.equals("--config") && !option.equals("--redis")) {
                err.println(name + ": unknown argument " + arg + "\n" + usage(name));
                return DaemonLifecycle.EXIT_CONFIG;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                err.println(name + ": " + arg + " needs a value\n" + usage(name));
                return DaemonLifecycle.EXIT_CONFIG;
            }
            if (option.equals("--config")) {
                configFile = Path.of(value);
            } else {
                redisUri = value;
            }
        }
        return run(kind, configFile, redisUri, env, err);
    }

    /** Runs with this config file (null: defaults only) and Redis URI (null: from the config or environment). */
    public static int run(DaemonLifecycle.Kind<?> kind, Path configFile, String redisUri, Map<String, String> env, PrintStream err) {
        Map<String, String> environment = new HashMap<>(env);
        if (redisUri != null) {
            environment.put("JOBRUNNER_REDIS_URI", redisUri);
        }
        try {
            Config config = ConfigLoader.load(configFile, environment);
            return DaemonLifecycle.run(kind, config, DaemonLifecycle.Stop.onSignals(), err::println);
        } catch (ConfigException e) {
            err.println(kind.name() + ": config error: " + e.getMessage());
            err.println(kind.name() + ": not started because of the configuration error above");
            return DaemonLifecycle.EXIT_CONFIG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DaemonLifecycle.EXIT_FAILURE;
        } catch (JobQueueException | IllegalStateException | IllegalArgumentException e) {
            err.println(kind.name() + ": " + e.getMessage());
            return DaemonLifecycle.EXIT_FAILURE;
        }
    }
}
