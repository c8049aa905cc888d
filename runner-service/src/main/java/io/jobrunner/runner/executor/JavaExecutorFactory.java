package io.jobrunner.runner.executor;

import com.typesafe.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds {@code java} executors:
 * {@code { kind = java, class = "com.example.Handler", plugins-dir = "/opt/jobrunner/plugins", stop-grace = 5s }}.
 * <ol>
 *   <li>validates the block: {@code class} required; {@code plugins-dir} optional, an existing directory whose
 *       {@code *.jar} files are searched after the runner's classpath; {@code stop-grace} optional (default 5s),
 *       how long a cancelled handler may take to return after its thread is interrupted;</li>
 *   <li>loads the class, checks it is a public, concrete {@link JobHandler} with a public no-argument
 *       constructor, and makes the one instance every slot shares; any failure names {@code <path>.class}.</li>
 * </ol>
 */
public final class JavaExecutorFactory implements ExecutorFactory {

    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<String> KEYS = Set.of("kind", "class", "plugins-dir", "stop-grace");

    /** A {@code java} executor around a handler instance the caller built (embedding); closes it if AutoCloseable. */
    public static JobExecutor forHandler(JobHandler handler) {
        return new JavaExecutor(java.util.Objects.requireNonNull(handler, "handler"), null, DEFAULT_STOP_GRACE);
    }

    @Override
    public Set<String> kinds() {
        return Set.of("java");
    }

    @Override
    public JobExecutor create(String kind, Config config, String path) {
        ExecutorConfig block = new ExecutorConfig(config, path);
        block.requireOnly(kind, KEYS);
        String className = block.requiredString("class", "the fully qualified name of a class implementing "
                + JobHandler.class.getName());
        Duration stopGrace = block.positiveDuration("stop-grace", DEFAULT_STOP_GRACE);
        String pluginsDir = block.optionalString("plugins-dir", "a directory of plugin jars");
        URLClassLoader plugins = pluginsDir == null ? null : pluginLoader(block, Path.of(pluginsDir));
        try {
            ClassLoader loader = plugins != null ? plugins : JavaExecutorFactory.class.getClassLoader();
            JobHandler handler = instantiate(block, loadHandlerClass(block, className, loader, pluginsDir));
            return new JavaExecutor(handler, plugins, stopGrace);
        } catch (RuntimeException | Error e) {
            closeQuietly(plugins);
            throw e;
        }
    }

    private static URLClassLoader pluginLoader(ExecutorConfig block, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw block.bad("plugins-dir", "expected an existing directory of plugin jars, but " + dir.toAbsolutePath()
                    + " is not a directory");
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw block.bad("plugins-dir", "cannot use a jar in " + dir + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw block.bad("plugins-dir", "cannot list " + dir.toAbsolutePath() + ": " + e.getMessage());
        }
        return new URLClassLoader("plugins " + dir, jars.toArray(URL[]::new), JavaExecutorFactory.class.getClassLoader());
    }

    private static Class<?> loadHandlerClass(ExecutorConfig block, String className, ClassLoader loader,
                                             String pluginsDir) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw block.bad("class", "class " + className + " not found in the runner's classpath"
                    + (pluginsDir == null ? " (set plugins-dir to load it from a folder of jars)"
                    : " or in the jars of plugins-dir " + pluginsDir));
        } catch (LinkageError e) {
            throw block.bad("class", "class " + className + " cannot be loaded: " + Outcomes.describe(e));
        }
        if (!JobHandler.class.isAssignableFrom(type)) {
            throw block.bad("class", "class " + className + " does not implement " + JobHandler.class.getName());
        }
        int modifiers = type.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers) || type.isInterface()) {
            throw block.bad("class", "class " + className + " must be public and concrete (not abstract, not an interface)");
        }
        return type;
    }

    private static JobHandler instantiate(ExecutorConfig block, Class<?> type) {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw block.bad("class", "class " + type.getName() + " must have a public no-argument constructor");
        }
        try {
            return (JobHandler) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw block.bad("class", "the constructor of " + type.getName() + " threw "
                    + Outcomes.describe(e.getCause()));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw block.bad("class", "cannot create an instance of " + type.getName() + ": " + Outcomes.describe(e));
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // nothing was loaded from it that we keep
            }
        }
    }
}
