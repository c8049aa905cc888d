package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobTracing;
import io.jobrunner.runner.executor.JavaExecutorFactory;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.runner.executor.JobHandler;
import io.jobrunner.runner.executor.SimpleJobHandler;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.Limits;
import io.jobrunner.service.RedisSection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a {@link JobRunner} in code, without a config file: every setting has the daemon's default, and
 * {@link #build()} checks them with the daemon's own rules (the key named in the message is the daemon's config
 * key, e.g. {@code jobrunner.runner.groups.basic.slots}), so a bad value fails before anything starts.
 * <p>
 * Groups: {@link #group(String, int, String...)} or {@link #group(String, Consumer)}; with none, one group
 * {@code default} of {@value #DEFAULT_SLOTS} slots serves exactly the types that have a handler. A group that serves a
 * type without a handler abandons its jobs ("no executor"), so list the types rather than {@code "*"} in a
 * process that shares its Redis with other workers. Limits take a job type or {@code "*"} (every other type).
 */
public final class JobRunnerBuilder {

    static final int DEFAULT_SLOTS = 4;
    private static final String ORIGIN = "JobRunner.builder()";

    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, JobExecutor> executors = new LinkedHashMap<>();
    private final List<String> groups = new ArrayList<>();
    private JobRunnerClient client;
    private JobTracing tracing;
    private MetricRegistry metrics;

    JobRunnerBuilder() {
        set("runner.http.enabled", false); // the application serves its own endpoints
        set("runner.jmx.enabled", false);
    }

    /** Where Redis is ({@code redis://[user:password@]host:port[/db]}); default {@code redis://127.0.0.1:6379}. */
    public JobRunnerBuilder redis(String uri) {
        return set("redis.uri", uri);
    }

    /** The key prefix shared by the producers and runners of one system; default {@code jr}. */
    public JobRunnerBuilder prefix(String prefix) {
        return set("redis.prefix", prefix);
    }

    /** Runs on the application's client (which it keeps and closes) instead of connecting one of its own. */
    public JobRunnerBuilder client(JobRunnerClient shared) {
        this.client = Objects.requireNonNull(shared, "client");
        return this;
    }

    /** How the runner's own client traces runs; default {@link JobTracing#detect()}. */
    public JobRunnerBuilder tracing(JobTracing jobTracing) {
        this.tracing = Objects.requireNonNull(jobTracing, "tracing");
        return this;
    }

    /** This runner's name in logs and status; default {@code <hostname>-<pid>}. */
    public JobRunnerBuilder id(String id) {
        return set("runner.id", id);
    }

    /** A group of {@code slots} threads serving {@code types} (names and globs). */
    public JobRunnerBuilder group(String name, int slots, String... types) {
        return group(name, g -> g.slots(slots).types(types));
    }

    /** A group with every setting: {@code group("media", g -> g.slots(2).types("resize*").lowPriority("resizeThumb"))}. */
    public JobRunnerBuilder group(String name, Consumer<Group> settings) {
        if (groups.contains(name)) {
            throw new IllegalArgumentException("group '" + name + "' is already defined");
        }
        groups.add(name);
        settings.accept(new Group(ConfigUtil.joinPath("runner", "groups", name)));
        return this;
    }

    /** Runs jobs of {@code type} ({@code "*"}: every type without its own) with a handler that needs only the job. */
    public JobRunnerBuilder handler(String type, SimpleJobHandler handler) {
        return handler(type, Objects.requireNonNull(handler, "handler").withContext());
    }

    /** Runs jobs of {@code type} ({@code "*"}: every type without its own) with a handler that gets the run's context too. */
    public JobRunnerBuilder handler(String type, JobHandler handler) {
        return executor(type, JavaExecutorFactory.forHandler(handler));
    }

    /** Runs jobs of {@code type} with any executor (the runner closes it when it stops). */
    public JobRunnerBuilder executor(String type, JobExecutor executor) {
        Objects.requireNonNull(executor, "executor");
        if (type == null || !(type.equals("*") || type.matches("[A-Za-z0-9_.-]{1,128}"))) {
            throw new IllegalArgumentException("handler type '" + type + "' is not a job type (1 to 128 of A-Z a-z 0-9 _ . -) or \"*\"");
        }
        if (executors.putIfAbsent(type, executor) != null) {
            throw new IllegalArgumentException("job type '" + type + "' already has a handler");
        }
        return this;
    }

    /** Runs a job of {@code type} ({@code "*"} for the default) gets before it is abandoned; default 3. */
    public JobRunnerBuilder attempts(String type, int attempts) {
        return set(ConfigUtil.joinPath("limits", "attempts", type), attempts);
    }

    /** Longest a run of {@code type} may take before it is cancelled and retried; default 5 minutes. */
    public JobRunnerBuilder timeout(String type, Duration timeout) {
        return set(ConfigUtil.joinPath("limits", "timeout", type), timeout);
    }

    /** How long a claim of {@code type} lasts without a heartbeat; default 60 seconds. */
    public JobRunnerBuilder claimTtl(String type, Duration ttl) {
        return set(ConfigUtil.joinPath("limits", "claim-ttl", type), ttl);
    }

    /** Retry delays of {@code type}: from {@code initial}, doubling, at most {@code max}; default 5s to 10m. */
    public JobRunnerBuilder backoff(String type, Duration initial, Duration max) {
        set(ConfigUtil.joinPath("limits", "backoff", type, "initial"), initial);
        return set(ConfigUtil.joinPath("limits", "backoff", type, "max"), max);
    }

    /** Most jobs of {@code type} ({@code "*"}: of each other type) running at once in this runner. */
    public JobRunnerBuilder concurrencyPerType(String type, int max) {
        return set(ConfigUtil.joinPath("runner", "concurrency", "per-type", type), max);
    }

    /** Most jobs of {@code domain} ({@code "*"}: of each other domain) running at once in this runner. */
    public JobRunnerBuilder concurrencyPerDomain(String domain, int max) {
        return set(ConfigUtil.joinPath("runner", "concurrency", "per-domain", domain), max);
    }

    /** How long a stop waits for running jobs before cancelling them and giving them back; default 30 seconds. */
    public JobRunnerBuilder shutdownGrace(Duration grace) {
        return set("runner.shutdown-grace", grace);
    }

    public JobRunnerBuilder claimBatch(int jobs) {
        return set("runner.claim-batch", jobs);
    }

    public JobRunnerBuilder bufferTime(Duration time) {
        return set("runner.buffer-time", time);
    }

    public JobRunnerBuilder refreshInterval(Duration interval) {
        return set("runner.refresh-interval", interval);
    }

    public JobRunnerBuilder shareWindow(Duration window) {
        return set("runner.share-window", window);
    }

    /** Serves the daemon's {@code /health}, {@code /status} and {@code /metrics} too (off by default). */
    public JobRunnerBuilder httpEndpoint(String bind, int port) {
        set("runner.http.enabled", true);
        set("runner.http.bind", bind);
        return set("runner.http.port", port);
    }

    /** Registers the metrics as JMX MBeans in {@code jobrunner.runner} (off by default). */
    public JobRunnerBuilder jmx(boolean enabled) {
        return set("runner.jmx.enabled", enabled);
    }

    /** Where the runner's metrics go (Dropwizard); default a registry of its own, see {@link JobRunner#metrics()}. */
    public JobRunnerBuilder metrics(MetricRegistry registry) {
        this.metrics = Objects.requireNonNull(registry, "metrics");
        return this;
    }

    /**
     * Checks every setting as {@link #build()} does, without handlers and without connecting (a missing group is
     * not an error here: build() makes the default one). Throws {@link IllegalArgumentException} naming the key.
     */
    public void check() {
        Config config = config(withDefaultGroup(List.of("*")));
        clientSettings(config);
    }

    /** Checks every setting and connects (unless given a client); nothing runs until {@link JobRunner#start()}. */
    public JobRunner build() {
        if (executors.isEmpty()) {
            throw new IllegalArgumentException("no handlers: register at least one with handler(type, job -> ...)");
        }
        Config config = config(withDefaultGroup(executors.containsKey("*") ? List.of("*") : List.copyOf(executors.keySet())));
        RunnerSettings runnerSettings = RunnerSettings.from(config);
        Limits limits = Limits.from(config);
        boolean ownsClient = client == null;
        JobRunnerClient runnerClient = client;
        if (ownsClient) {
            var builder = JobRunnerClient.builder().settings(clientSettings(config));
            if (tracing != null) {
                builder.tracing(tracing);
            }
            runnerClient = builder.connect();
        }
        MetricRegistry registry = metrics != null ? metrics : new MetricRegistry();
        Runner runner = Runner.create(runnerSettings, limits, runnerClient, registry, ExecutorLookup.of(executors));
        return new JobRunner(runner, runnerClient, ownsClient, List.copyOf(executors.values()), registry);
    }

    /** Builds and starts: {@code JobRunner.builder().redis(uri).handler("sendMail", job -> ...).start()}. */
    public JobRunner start() {
        return build().start();
    }

    /** The settings, with the group {@code default} serving {@code types} when no group was defined. */
    private Map<String, Object> withDefaultGroup(List<String> types) {
        Map<String, Object> values = new LinkedHashMap<>(settings);
        if (groups.isEmpty()) {
            values.put("jobrunner.runner.groups.default.slots", DEFAULT_SLOTS);
            values.put("jobrunner.runner.groups.default.types", types);
        }
        return values;
    }

    /** The daemon's config of these settings, checked by the daemon's mappers (which map it again, cheaply, later). */
    private static Config config(Map<String, Object> values) {
        try {
            Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseMap(values, ORIGIN), Map.of());
            RunnerSettings.from(config);
            Limits.from(config);
            return config;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static io.jobrunner.client.ClientSettings clientSettings(Config config) {
        try {
            return RedisSection.clientSettings(config);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private JobRunnerBuilder set(String path, Object value) {
        Objects.requireNonNull(value, () -> "jobrunner." + path);
        settings.put("jobrunner." + path, value instanceof Duration d ? d.toNanos() + "ns" : value);
        return this;
    }

    /** The settings of one group; what is not set comes from the group defaults. */
    public final class Group {
        private final String path;

        private Group(String path) {
            this.path = path;
            set(path + ".slots", 1);
        }

        /** Worker threads; 0 disables the group. */
        public Group slots(int slots) {
            set(path + ".slots", slots);
            return this;
        }

        /** Job types served: names and globs ({@code *} any run of characters). */
        public Group types(String... types) {
            return types(List.of(types));
        }

        public Group types(List<String> types) {
            set(path + ".types", List.copyOf(types));
            return this;
        }

        /** Types not served even if {@link #types} matches them. */
        public Group exclude(String... types) {
            set(path + ".exclude", List.of(types));
            return this;
        }

        /** Served types that form the low class; the rest are the high class. */
        public Group lowPriority(String... types) {
            set(path + ".low-priority", List.of(types));
            return this;
        }

        /** The high class's share of busy time while both classes have work, 0.0 to 1.0; default 0.8. */
        public Group highShare(double share) {
            set(path + ".high-share", share);
            return this;
        }
    }
}
