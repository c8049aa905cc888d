package io.jobrunner.git;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where git credentials come from: the executor's config or the environment, never a job's params.
 * <ol>
 *   <li>{@code credentials { "host" { username, password | password-env } }}: for that host only;</li>
 *   <li>else {@code username-env} / {@code password-env} (default {@code GIT_USERNAME} / {@code GIT_PASSWORD}),
 *       only for hosts listed in {@code allowed-hosts}, so a job naming another host can never harvest them;</li>
 *   <li>knows every secret, for the {@link Redactor}.</li>
 * </ol>
 */
final class GitCredentials {

    /** A user name and password (or token) for one host. */
    record HostCredentials(String username, String password) {
        @Override
        public String toString() {
            return "HostCredentials[username=" + username + ", password=***]";
        }
    }

    private final Map<String, HostCredentials> byHost;
    private final HostCredentials fromEnvironment;
    private final Set<String> allowedHosts;

    GitCredentials(Map<String, HostCredentials> byHost, HostCredentials fromEnvironment, Set<String> allowedHosts) {
        this.byHost = Map.copyOf(byHost);
        this.fromEnvironment = fromEnvironment;
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    /** Reads {@code credentials}, {@code username-env}, {@code password-env} of an executor block. */
    static GitCredentials from(Config config, String path, Set<String> allowedHosts, Function<String, String> env) {
        Map<String, HostCredentials> byHost = new LinkedHashMap<>();
        ConfigObject hosts = GitSettings.read(config, path, "credentials", "a block of host blocks", Config::getObject);
        for (Map.Entry<String, ConfigValue> entry : hosts.entrySet()) {
            String hostPath = path + ".credentials.\"" + entry.getKey() + "\"";
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException.BadValue(hostPath, "must be a block { username = ..., password = ... } (or password-env = NAME)");
            }
            Config block = ((ConfigObject) entry.getValue()).toConfig();
            for (String key : block.root().keySet()) {
                if (!Set.of("username", "password", "password-env").contains(key)) {
                    throw new ConfigException.BadPath(hostPath + "." + key, "unknown key; allowed: username, password, password-env"
                            + " (quote host names that contain dots: \"github.com\" { ... })");
                }
            }
            if (!block.hasPath("username")) {
                throw new ConfigException.Missing(hostPath + ".username");
            }
            if (block.hasPath("password") == block.hasPath("password-env")) {
                throw new ConfigException.BadValue(hostPath, "give exactly one of password, password-env");
            }
            String password;
            if (block.hasPath("password")) {
                password = GitSettings.read(block, hostPath, "password", "a string", Config::getString);
            } else {
                String variable = GitSettings.read(block, hostPath, "password-env", "an environment variable name", Config::getString);
                password = env.apply(variable);
                if (password == null || password.isEmpty()) {
                    throw new ConfigException.BadValue(hostPath + ".password-env",
                            "environment variable " + variable + " is not set");
                }
            }
            String username = GitSettings.read(block, hostPath, "username", "a string", Config::getString);
            byHost.put(entry.getKey().toLowerCase(Locale.ROOT), new HostCredentials(username, password));
        }
        HostCredentials fromEnv = null;
        String user = env.apply(GitSettings.read(config, path, "username-env", "an environment variable name", Config::getString));
        String password = env.apply(GitSettings.read(config, path, "password-env", "an environment variable name", Config::getString));
        if (password != null && !password.isEmpty()) {
            fromEnv = new HostCredentials(user == null || user.isEmpty() ? "git" : user, password);
        }
        return new GitCredentials(byHost, fromEnv, allowedHosts);
    }

    /** True when environment credentials exist but are never sent, because any host is allowed. */
    boolean environmentUnused() {
        return fromEnvironment != null && allowedHosts.isEmpty();
    }

    /** The provider for {@code host}, or null when this host has no credentials. */
    CredentialsProvider providerFor(String host) {
        if (host == null) {
            return null;
        }
        String key = host.toLowerCase(Locale.ROOT);
        HostCredentials credentials = byHost.get(key);
        if (credentials == null && fromEnvironment != null && allowedHosts.contains(key)) {
            credentials = fromEnvironment;
        }
        return credentials == null ? null : new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password());
    }

    /** Every password this object knows, to be kept out of messages. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        byHost.values().forEach(c -> secrets.add(c.password()));
        if (fromEnvironment != null) {
            secrets.add(fromEnvironment.password());
        }
        return secrets;
    }
}
