package io.jobrunner.git;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job params and the URL policy, before anything touches the disk or the network. */
class GitJobParamsTest {

    @TempDir
    Path tmp;

    private UrlPolicy policy(String extra) {
        String hocon = "root = \"" + tmp + "\"\n" + extra;
        return new UrlPolicy(GitSettings.from(ConfigFactory.parseString(hocon), "x", Map.<String, String>of()::get));
    }

    @Test
    void theNameIsDerivedFromTheUrl() throws Exception {
        UrlPolicy policy = policy("");
        assertThat(GitJobParams.parse(TestContext.params("url", "https://github.com/labki/labki-pack.git"), true, policy).name()).isEqualTo("labki-pack");
        assertThat(GitJobParams.parse(TestContext.params("url", "https://github.com/labki/pages/"), true, policy).name()).isEqualTo("pages");
        assertThat(GitJobParams.derivedName(new UrlPolicy.RemoteUrl("git@github.com:labki/content.git",
                new org.eclipse.jgit.transport.URIish("git@github.com:labki/content.git"), "ssh", "github.com"))).isEqualTo("content");
        GitJobParams given = GitJobParams.parse(TestContext.params("url", "https://h/x.git", "name", "mine", "ref", "v1.2"), true, policy);
        assertThat(given.name()).isEqualTo("mine");
        assertThat(given.ref()).isEqualTo("v1.2");
        assertThat(given.url().host()).isEqualTo("h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "/abs", "a/b", "a\\b", ".", ".hidden", "-x", " lead", "tab\tname", "é"})
    void namesOutsideOnePlainDirectoryAreRejected(String name) {
        assertThatThrownBy(() -> GitJobParams.checkName(name)).isInstanceOf(GitJobException.class)
                .hasMessageContaining("param 'name'").hasMessageContaining("not allowed").hasMessageContaining("no path separators")
                .satisfies(e -> assertThat(((GitJobException) e).permanent()).isTrue());
    }

    @Test
    void aLongNameIsRejected() {
        assertThatThrownBy(() -> GitJobParams.checkName("a".repeat(101))).isInstanceOf(GitJobException.class);
        org.assertj.core.api.Assertions.assertThatCode(() -> GitJobParams.checkName("a".repeat(100))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-upload-pack=x", "a..b", "a b", "main~1", "x^", "refs/heads/", "a:b", "@{-1}"})
    void refsThatAreNotRefNamesAreRejected(String ref) {
        assertThatThrownBy(() -> GitJobParams.checkRef(ref)).isInstanceOf(GitJobException.class).hasMessageContaining("not a valid branch, tag or commit name");
    }

    @Test
    void missingOrMistypedParams() {
        UrlPolicy policy = policy("");
        assertThatThrownBy(() -> GitJobParams.parse(TestContext.params("name", "x"), true, policy)).hasMessageContaining("param 'url' is required");
        assertThatThrownBy(() -> GitJobParams.parse(TestContext.params(), false, policy)).hasMessageContaining("param 'name' or 'url' is required");
        assertThatThrownBy(() -> GitJobParams.parse(TestContext.params("url", ""), true, policy)).hasMessageContaining("non-empty string");
        com.fasterxml.jackson.databind.node.ObjectNode numeric = TestContext.params();
        numeric.put("name", 42);
        assertThatThrownBy(() -> GitJobParams.parse(numeric, false, policy)).hasMessageContaining("param 'name' must be a non-empty string, got number");
    }

    @Test
    void schemesAndHosts() throws Exception {
        UrlPolicy defaults = policy("");
        assertThat(defaults.check("https://github.com/a/b.git").scheme()).isEqualTo("https");
        assertThatThrownBy(() -> defaults.check("file:///srv/repos/x.git")).hasMessageContaining("uses scheme 'file'").hasMessageContaining("allowed: https, ssh");
        assertThatThrownBy(() -> defaults.check("/srv/repos/x.git")).hasMessageContaining("uses scheme 'file'");
        assertThatThrownBy(() -> defaults.check("http://github.com/a/b.git")).hasMessageContaining("uses scheme 'http'");
        assertThatThrownBy(() -> defaults.check("git://github.com/a/b.git")).hasMessageContaining("uses scheme 'git'");
        assertThatThrownBy(() -> defaults.check("relative/path")).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> defaults.check("https:///nohost.git")).isInstanceOf(GitJobException.class);

        UrlPolicy hosts = policy("allowed-hosts = [github.com]");
        assertThat(hosts.check("https://GitHub.com/a/b.git").host()).isEqualTo("github.com");
        assertThatThrownBy(() -> hosts.check("https://evil.example/a/b.git")).hasMessageContaining("names host 'evil.example'").hasMessageContaining("allowed: github.com");

        UrlPolicy file = policy("allowed-schemes = [file]");
        assertThat(file.check("file:///srv/repos/x.git").scheme()).isEqualTo("file");
    }

    @Test
    void sshNeedsATransportOnTheClasspath() {
        UrlPolicy defaults = policy("");
        // this build has no org.eclipse.jgit.ssh.* module: ssh URLs fail with a message saying so
        if (org.eclipse.jgit.transport.SshSessionFactory.getInstance() == null) {
            assertThatThrownBy(() -> defaults.check("git@github.com:a/b.git")).hasMessageContaining("needs the SSH transport");
        }
    }

    @Test
    void passwordsInUrlsAreRejectedWithoutRepeatingThem() {
        UrlPolicy defaults = policy("");
        assertThatThrownBy(() -> defaults.check("https://bot:hunter2@github.com/a/b.git"))
                .hasMessageContaining("has a password in it").hasMessageContaining("https://github.com/a/b.git")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void controlCharactersNeverReachMessages() {
        assertThatThrownBy(() -> GitJobParams.checkName("a\u0000b\nc")).hasMessageContaining("'a?b?c'");
    }

    @Test
    void sshUrlsPassThePolicyBecauseTheSshTransportShips() throws Exception {
        assertThat(org.eclipse.jgit.transport.SshSessionFactory.getInstance()).as("org.eclipse.jgit.ssh.apache on the classpath").isNotNull();
        assertThat(policy("").check("git@github.com:labki/content.git").scheme()).isEqualTo("ssh");
        assertThat(policy("").check("ssh://git@github.com/labki/content.git").scheme()).isEqualTo("ssh");
    }
}
