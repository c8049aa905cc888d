package io.jobrunner.git;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The validated settings of one git executor block ({@code jobrunner.executors.<type>}), frozen at start.
 * Defaults are in {@code io/jobrunner/git/git-executor-defaults.conf}; a bad value fails start with
 * its HOCON path and what is allowed.
 *
 * @param root                the real path of the directory holding the working copies (created if absent)
 * @param allowedSchemes      URL schemes jobs may use
 * @param allowedHosts        hosts jobs may use, lower case; empty = any
 * @param credentials         credentials per host and from the environment
 * @param discardLocalChanges git-sync may throw away local changes
 * @param lockWait            how long to wait for the per-repository lock
 * @param lockTtl             the lock's time to live (renewed every third)
 * @param transportTimeout    network read timeout
 */
record GitSettings(Path root, Set<String> allowedSchemes, Set<String> allowedHosts, GitCredentials credentials,
                   boolean discardLocalChanges, Duration lockWait, Duration lockTtl, Duration transportTimeout) {

    static final Set<String> KNOWN_SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    private static final Set<String> KEYS = Set.of("kind", "root", "allowed-schemes", "allowed-hosts", "credentials",
            "username-env", "password-env", "discard-local-changes", "lock-wait", "lock-ttl", "transport-timeout");
    private static final Config DEFAULTS = ConfigFactory.parseResources(GitSettings.class, "git-executor-defaults.conf");

    /**
     * Reads and checks a block.
     *
     * @param path the block's full HOCON path, for messages
     * @param env  the environment (System::getenv outside tests)
     */
    static GitSettings from(Config block, String path, Function<String, String> env) {
        for (String key : block.root().keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException.BadPath(path + "." + key, "unknown key of a git executor; allowed: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        Config config = block.withFallback(DEFAULTS).resolve();
        if (!config.hasPath("root")) {
            throw new ConfigException.Missing(path + ".root");
        }
        Path root = root(read(config, path, "root", "an absolute directory path", Config::getString), path + ".root");
        Set<String> schemes = new LinkedHashSet<>();
        for (String scheme : read(config, path, "allowed-schemes", "a list of schemes", Config::getStringList)) {
            String lower = scheme.toLowerCase(Locale.ROOT);
            if (!KNOWN_SCHEMES.contains(lower)) {
                throw new ConfigException.BadValue(path + ".allowed-schemes",
                        "'" + scheme + "' is not a git URL scheme; allowed: https, http, ssh, git, file");
            }
            schemes.add(lower);
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : read(config, path, "allowed-hosts", "a list of host names", Config::getStringList)) {
            if (host.isBlank() || host.contains("/") || host.contains("@")) {
                throw new ConfigException.BadValue(path + ".allowed-hosts", "'" + host + "' is not a host name");
            }
            hosts.add(host.toLowerCase(Locale.ROOT));
        }
        GitCredentials credentials = GitCredentials.from(config, path, hosts, env);
        Duration lockWait = positive(config, "lock-wait", path, true);
        Duration lockTtl = positive(config, "lock-ttl", path, false);
        if (lockTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new ConfigException.BadValue(path + ".lock-ttl", "must be at least 3s (it is renewed every third)");
        }
        Duration transportTimeout = positive(config, "transport-timeout", path, false);
        if (transportTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException.BadValue(path + ".transport-timeout", "must be at least 1s (JGit counts in seconds)");
        }
        return new GitSettings(root, Set.copyOf(schemes), Set.copyOf(hosts), credentials,
                read(config, path, "discard-local-changes", "true or false", Config::getBoolean), lockWait, lockTtl, transportTimeout);
    }

    /**
     * Reads one key with a Typesafe getter; a wrong type or value fails with the key's full path and
     * what is allowed (Typesafe's own messages only know the path inside the block).
     */
    static <T> T read(Config config, String path, String key, String allowed, java.util.function.BiFunction<Config, String, T> getter) {
        try {
            return getter.apply(config, key);
        } catch (ConfigException.Missing e) {
            throw new ConfigException.Missing(path + "." + key);
        } catch (ConfigException e) {
            throw new ConfigException.BadValue(path + "." + key, "expected " + allowed + " (" + e.getMessage() + ")");
        }
    }

    /** The secrets to keep out of messages. */
    Redactor redactor() {
        return new Redactor(credentials.secrets());
    }

    List<String> sortedSchemes() {
        return allowedSchemes.stream().sorted().toList();
    }

    private static Path root(String value, String path) {
        Path root = Path.of(value);
        if (!root.isAbsolute()) {
            throw new ConfigException.BadValue(path, "'" + value + "' must be an absolute path");
        }
        try {
            Files.createDirectories(root);
            return root.toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException.BadValue(path, "cannot create or open directory '" + value + "': " + e);
        }
    }

    private static Duration positive(Config config, String key, String path, boolean zeroAllowed) {
        Duration value = read(config, path, key, "a duration such as 5s or 250ms", Config::getDuration);
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new ConfigException.BadValue(path + "." + key, "must be " + (zeroAllowed ? "zero or more" : "more than zero") + ", got " + value);
        }
        return value;
    }
}
