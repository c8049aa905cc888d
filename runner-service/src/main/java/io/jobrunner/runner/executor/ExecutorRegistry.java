package io.jobrunner.runner.executor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.jobrunner.service.metrics.MetricSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The executors of one runner, one per configured job type ({@code jobrunner.executors}).
 * <ol>
 *   <li>finds every {@link ExecutorFactory} with {@link ServiceLoader} (built-in kinds and plugins alike);</li>
 *   <li>builds one executor per key of the block; a key is a job type or {@code "*"} (quoted in HOCON),
 *       the default; an unknown {@code kind} fails with the path and the known kinds; on any failure the
 *       executors already built are closed;</li>
 *   <li>resolves the executor of a type: its own, else the default, else none (the runner then abandons
 *       the job with "no executor for type X");</li>
 *   <li>closes them all on {@link #close()}.</li>
 * </ol>
 */
public final class ExecutorRegistry implements AutoCloseable {

    /** The key of the default executor: {@code "*" { ... }} in HOCON (the quotes are needed). */
    public static final String DEFAULT_TYPE = "*";

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistry.class);
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Map<String, JobExecutor> executors;

    private ExecutorRegistry(Map<String, JobExecutor> executors) {
        this.executors = Collections.unmodifiableMap(executors);
    }

    /**
     * Builds the executors of {@code executors} (the {@code jobrunner.executors} block) with the factories
     * visible from this class's class loader.
     *
     * @param path the block's full HOCON path, for messages, e.g. {@code jobrunner.executors}
     */
    public static ExecutorRegistry load(Config executors, String path) {
        return load(executors, path, factories(ExecutorRegistry.class.getClassLoader()));
    }

    /**
     * Builds the executors with the runner's shared services (its Redis client and metric registry), which some
     * kinds need (the git kinds' repository locks): what the runner uses.
     */
    public static ExecutorRegistry load(Config executors, String path, ExecutorServices services) {
        return load(executors, path, factories(ExecutorRegistry.class.getClassLoader()), services);
    }

    /** Builds the executors with the given factories, by kind. */
    public static ExecutorRegistry load(Config executors, String path, Map<String, ExecutorFactory> factories) {
        return load(executors, path, factories, null);
    }

    /** Builds the executors with the given factories and services (null: factories' three-argument create). */
    public static ExecutorRegistry load(Config executors, String path, Map<String, ExecutorFactory> factories,
                                        ExecutorServices services) {
        Map<String, JobExecutor> built = new LinkedHashMap<>();
        try {
            eachBlock(executors, path, factories, b -> built.put(b.type(), services == null
                    ? b.factory().create(b.kind(), b.config(), b.path()) : b.factory().create(b.kind(), b.config(), b.path(), services)));
        } catch (RuntimeException | Error e) {
            built.values().forEach(ExecutorRegistry::closeQuietly);
            throw e;
        }
        return new ExecutorRegistry(built);
    }

    /**
     * Checks every block of {@code executors} with its factory's {@link ExecutorFactory#validate}, building
     * nothing that runs: the first bad block throws a {@link ConfigException} naming its path.
     */
    public static void validate(Config executors, String path, Map<String, ExecutorFactory> factories) {
        eachBlock(executors, path, factories, b -> b.factory().validate(b.kind(), b.config(), b.path()));
    }

    /** One executor block: its job type (or {@code "*"}), full path, kind and the factory of that kind. */
    private record Block(String type, String path, String kind, Config config, ExecutorFactory factory) {
    }

    /** Hands each block, in key order, to {@code action} as soon as it is resolved (a bad block stops the walk). */
    private static void eachBlock(Config executors, String path, Map<String, ExecutorFactory> factories, Consumer<Block> action) {
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(executors.root()).entrySet()) {
            String type = entry.getKey();
            String blockPath = path + "." + ConfigUtil.joinPath(type);
            if (!type.equals(DEFAULT_TYPE) && !TYPE.matcher(type).matches()) {
                throw new ConfigException.BadValue(entry.getValue().origin(), blockPath,
                        "an executor key is a job type ([A-Za-z0-9_.-]{1,128}) or \"*\" (quoted) for the default");
            }
            action.accept(block(type, entry.getValue(), blockPath, factories));
        }
    }

    /** Every factory found by {@link ServiceLoader}, by kind; two factories claiming one kind is an error. */
    public static Map<String, ExecutorFactory> factories(ClassLoader loader) {
        Map<String, ExecutorFactory> byKind = new TreeMap<>();
        for (ExecutorFactory factory : ServiceLoader.load(ExecutorFactory.class, loader)) {
            for (String kind : factory.kinds()) {
                ExecutorFactory other = byKind.putIfAbsent(kind, factory);
                if (other != null) {
                    throw new IllegalStateException("executor kind " + kind + " is built by two factories: "
                            + other.getClass().getName() + " and " + factory.getClass().getName());
                }
            }
        }
        return byKind;
    }

    /** The metric families of every factory found by {@link ServiceLoader} (see {@link ExecutorFactory#metricSpecs}). */
    public static List<MetricSpec> metricSpecs(ClassLoader loader) {
        List<MetricSpec> specs = new ArrayList<>();
        ServiceLoader.load(ExecutorFactory.class, loader).forEach(f -> specs.addAll(f.metricSpecs()));
        return specs;
    }

    private static Block block(String type, ConfigValue value, String path, Map<String, ExecutorFactory> factories) {
        String known = String.join(", ", new TreeMap<>(factories).keySet());
        if (!(value instanceof ConfigObject object)) {
            throw new ConfigException.BadValue(value.origin(), path,
                    "expected an executor block { kind = ..., ... } with kind one of: " + known);
        }
        Config block = object.toConfig();
        ConfigValue kindValue = object.get("kind");
        if (kindValue == null || kindValue.valueType() == ConfigValueType.NULL) {
            boolean nested = !object.isEmpty()
                    && object.values().stream().allMatch(v -> v.valueType() == ConfigValueType.OBJECT);
            throw new ExecutorConfig.MissingKey(block, path + ".kind", "one of: " + known
                    + (nested ? "; a job type containing dots must be quoted, e.g. \"my.type\" { kind = ... }" : ""));
        }
        if (kindValue.valueType() != ConfigValueType.STRING) {
            throw new ConfigException.BadValue(kindValue.origin(), path + ".kind", "expected one of: " + known);
        }
        String kind = (String) kindValue.unwrapped();
        ExecutorFactory factory = factories.get(kind);
        if (factory == null) {
            throw new ConfigException.BadValue(kindValue.origin(), path + ".kind",
                    "unknown executor kind \"" + kind + "\"; known kinds: " + known);
        }
        return new Block(type, path, kind, block, factory);
    }

    /** The executor for jobs of this type: its own, else the default ({@code "*"}), else empty. */
    public Optional<JobExecutor> forType(String type) {
        JobExecutor own = executors.get(type);
        return Optional.ofNullable(own != null ? own : executors.get(DEFAULT_TYPE));
    }

    /** The configured keys (job types and possibly {@code "*"}). */
    public Set<String> types() {
        return executors.keySet();
    }

    @Override
    public void close() {
        executors.values().forEach(ExecutorRegistry::closeQuietly);
    }

    private static void closeQuietly(JobExecutor executor) {
        try {
            executor.close();
        } catch (RuntimeException e) {
            LOG.warn("closing {} failed", executor, e);
        }
    }
}
