package io.jobrunner.git;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.runner.executor.ExecutorFactory;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitSettingsTest {

    private static final String PATH = "jobrunner.executors.labkiRepoSync";

    @TempDir
    Path tmp;

    private GitSettings parse(String hocon) {
        return parse(hocon, Map.of());
    }

    private GitSettings parse(String hocon, Map<String, String> env) {
        return GitSettings.from(ConfigFactory.parseString(hocon), PATH, env::get);
    }

    private String root() {
        return "root = \"" + tmp.resolve("git") + "\"\n";
    }

    @Test
    void defaults() throws Exception {
        GitSettings settings = parse("kind = git-sync\n" + root());

        assertThat(settings.root()).isEqualTo(tmp.resolve("git").toRealPath());
        assertThat(Files.isDirectory(settings.root())).isTrue();
        assertThat(settings.allowedSchemes()).containsExactlyInAnyOrder("https", "ssh");
        assertThat(settings.allowedHosts()).isEmpty();
        assertThat(settings.discardLocalChanges()).isFalse();
        assertThat(settings.lockWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.lockTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.transportTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.credentials().providerFor("github.com")).isNull();
    }

    @Test
    void everyKey() {
        GitSettings settings = parse(root() + """
                allowed-schemes = [HTTPS, file]
                allowed-hosts = [GitHub.com]
                discard-local-changes = true
                lock-wait = 250ms
                lock-ttl = 30s
                transport-timeout = 2m
                credentials { "github.com" { username = bot, password = "tok" } }
                """);

        assertThat(settings.allowedSchemes()).containsExactlyInAnyOrder("https", "file");
        assertThat(settings.allowedHosts()).containsExactly("github.com");
        assertThat(settings.discardLocalChanges()).isTrue();
        assertThat(settings.lockWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.lockTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.transportTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(credentials(settings.credentials().providerFor("GITHUB.COM"))).isEqualTo("bot:tok");
    }

    @Test
    void badValuesNameTheirPathAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse("kind = git-sync")).isInstanceOf(ConfigException.Missing.class).hasMessageContaining(PATH + ".root");
        assertThatThrownBy(() -> parse("root = relative/dir")).hasMessageContaining(PATH + ".root").hasMessageContaining("absolute");
        assertThatThrownBy(() -> parse(root() + "allowed-schemes = [https, ftp]"))
                .hasMessageContaining(PATH + ".allowed-schemes").hasMessageContaining("'ftp'").hasMessageContaining("allowed: https, http, ssh, git, file");
        assertThatThrownBy(() -> parse(root() + "allowed-hosts = [\"user@host\"]")).hasMessageContaining(PATH + ".allowed-hosts");
        assertThatThrownBy(() -> parse(root() + "lock-ttl = 1s")).hasMessageContaining(PATH + ".lock-ttl").hasMessageContaining("at least 3s");
        assertThatThrownBy(() -> parse(root() + "lock-wait = -1s")).hasMessageContaining(PATH + ".lock-wait");
        assertThatThrownBy(() -> parse(root() + "transport-timeout = 10ms")).hasMessageContaining(PATH + ".transport-timeout");
        assertThatThrownBy(() -> parse(root() + "discard-local-change = true"))
                .hasMessageContaining(PATH + ".discard-local-change").hasMessageContaining("unknown key").hasMessageContaining("discard-local-changes");
        assertThatThrownBy(() -> parse(root() + "discard-local-changes = maybe")).hasMessageContaining(PATH + ".discard-local-changes").hasMessageContaining("true or false");
        assertThatThrownBy(() -> parse(root() + "lock-wait = soon")).hasMessageContaining(PATH + ".lock-wait").hasMessageContaining("a duration");
        assertThatThrownBy(() -> parse(root() + "allowed-hosts = github.com")).hasMessageContaining(PATH + ".allowed-hosts").hasMessageContaining("a list");
    }

    @Test
    void credentialBlocksAreChecked() {
        assertThatThrownBy(() -> parse(root() + "credentials { \"h\" { password = x } }")).hasMessageContaining(PATH + ".credentials.\"h\".username");
        assertThatThrownBy(() -> parse(root() + "credentials { \"h\" { username = u } }")).hasMessageContaining("exactly one of password, password-env");
        assertThatThrownBy(() -> parse(root() + "credentials { \"h\" { username = u, password = p, token = t } }")).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> parse(root() + "credentials { \"h\" { username = u, password-env = MISSING } }"))
                .hasMessageContaining(PATH + ".credentials.\"h\".password-env").hasMessageContaining("MISSING is not set");
        assertThatThrownBy(() -> parse(root() + "credentials { h = x }")).hasMessageContaining("must be a block");
        assertThatThrownBy(() -> parse(root() + "credentials { github.com { username = u, password = p } }")).hasMessageContaining("quote host names");
        assertThatThrownBy(() -> parse(root() + "credentials { \"h\" { username = [u], password = p } }")).hasMessageContaining(PATH + ".credentials.\"h\".username");
    }

    @Test
    void environmentCredentialsOnlyForListedHosts() {
        Map<String, String> env = Map.of("GIT_USERNAME", "envbot", "GIT_PASSWORD", "envpass", "MY_PASS", "mine", "MY_USER", "me");

        GitSettings anyHost = parse(root(), env);
        assertThat(anyHost.credentials().environmentUnused()).isTrue();
        assertThat(anyHost.credentials().providerFor("github.com")).isNull();

        GitSettings listed = parse(root() + "allowed-hosts = [github.com]", env);
        assertThat(credentials(listed.credentials().providerFor("github.com"))).isEqualTo("envbot:envpass");
        assertThat(listed.credentials().providerFor("gitlab.com")).isNull();

        GitSettings named = parse(root() + "allowed-hosts = [github.com]\nusername-env = MY_USER\npassword-env = MY_PASS", env);
        assertThat(credentials(named.credentials().providerFor("github.com"))).isEqualTo("me:mine");
        assertThat(named.redactor().redact("a mine b")).isEqualTo("a *** b");

        GitSettings perHost = parse(root() + "credentials { \"github.com\" { username = u, password-env = MY_PASS } }", env);
        assertThat(credentials(perHost.credentials().providerFor("github.com"))).isEqualTo("u:mine");
    }

    @Test
    void theFactoryIsFoundByServiceLoaderAndNeedsServices() {
        ExecutorFactory factory = ServiceLoader.load(ExecutorFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f instanceof GitExecutorFactory)
                .findFirst().orElseThrow();

        assertThat(factory.kinds()).isEqualTo(Set.of("git-clone", "git-sync", "git-remove"));
        assertThatThrownBy(() -> factory.create("git-sync", ConfigFactory.parseString(root()), PATH))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(PATH).hasMessageContaining("ExecutorServices");
        assertThatThrownBy(() -> factory.create("git-sync", ConfigFactory.parseString(root() + "lock-wait = soon"), PATH))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PATH);
    }

    private static String credentials(CredentialsProvider provider) {
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        try {
            assertThat(provider.get(new URIish("https://host/x.git"), user, password)).isTrue();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
        return user.getValue() + ":" + new String(password.getValue());
    }
}
