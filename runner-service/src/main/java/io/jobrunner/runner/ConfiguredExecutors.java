package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.jobrunner.runner.executor.ExecutorFactory;
import io.jobrunner.runner.executor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The executors of {@code jobrunner.executors}: for each type (and {@code "*"}), the block's {@code kind} names an
 * {@link ExecutorFactory} found with {@link ServiceLoader}, which validates the block and builds the executor.
 * An unknown kind, or a block that is not an object with a {@code kind}, fails with the HOCON path and the kinds
 * installed. Closing closes every executor built.
 */
public final class ConfiguredExecutors implements ExecutorLookup, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredExecutors.class);
    static final String PATH = "jobrunner.executors";

    private final Map<String, JobExecutor> byType;
    private final JobExecutor fallback;

    private ConfiguredExecutors(Map<String, JobExecutor> byType) {
        this.byType = Map.copyOf(byType);
        this.fallback = byType.get("*");
    }

    /** Builds the executors of {@code jobrunner.executors} with the factories on the class path. */
    public static ConfiguredExecutors from(Config root) {
        return from(root, ServiceLoader.load(ExecutorFactory.class, ConfiguredExecutors.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** Builds them with the given factories (tests, plugins loaded elsewhere). */
    public static ConfiguredExecutors from(Config root, List<ExecutorFactory> factories) {
        Map<String, ExecutorFactory> byKind = new TreeMap<>();
        for (ExecutorFactory f : factories) {
            f.kinds().forEach(k -> byKind.putIfAbsent(k, f));
        }
        Map<String, JobExecutor> built = new HashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : root.getObject(PATH).entrySet()) {
                String type = e.getKey();
                String path = PATH + "." + ConfigUtil.joinPath(type);
                if (!type.equals("*") && !type.matches("[A-Za-z0-9_.-]{1,128}")) {
                    throw new ConfigException.BadValue(e.getValue().origin(), path, "keys are job type names (1 to 128 of A-Z a-z 0-9 _ . -) or \"*\"");
                }
                if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                    throw new ConfigException.WrongType(e.getValue().origin(), path, "an object { kind = ..., ... }", e.getValue().valueType().name());
                }
                String kind = root.getString(path + ".kind");
                ExecutorFactory factory = byKind.get(kind);
                if (factory == null) {
                    throw new ConfigException.BadValue(root.getValue(path + ".kind").origin(), path + ".kind",
                            "unknown executor kind '" + kind + "'; " + (byKind.isEmpty() ? "no executor kinds are installed"
                                    : "allowed: " + String.join(", ", byKind.keySet())));
                }
                built.put(type, factory.create(kind, root.getConfig(path), path));
            }
        } catch (RuntimeException e) {
            built.values().forEach(ConfiguredExecutors::closeQuietly);
            throw e;
        }
        return new ConfiguredExecutors(built);
    }

    @Override
    public Optional<JobExecutor> find(String type) {
        return Optional.ofNullable(byType.getOrDefault(type, fallback));
    }

    /** The configured types ("*" included). */
    public java.util.Set<String> types() {
        return byType.keySet();
    }

    @Override
    public void close() {
        byType.values().forEach(ConfiguredExecutors::closeQuietly);
    }

    private static void closeQuietly(JobExecutor executor) {
        try {
            executor.close();
        } catch (RuntimeException e) {
            log.warn("closing executor {} failed: {}", executor, e.toString());
        }
    }
}
