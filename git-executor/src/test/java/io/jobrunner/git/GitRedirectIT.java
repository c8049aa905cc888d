package io.jobrunner.git;

import com.sun.net.httpserver.HttpServer;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JGit hardening: an HTTP redirect is not followed (a server cannot send the transfer, and the credentials offered
 * for its host, elsewhere), and JGit reads no user or system git config, only the runner's fixed one.
 */
@ExtendWith(RedisExtension.class)
class GitRedirectIT {

    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path tmp;

    private OriginRepo origin;
    private GitRig rig;

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "pack");
        rig = new GitRig(redis.client(), root);
    }

    @AfterEach
    void tearDown() {
        rig.close();
        origin.close();
    }

    @Test
    void aRedirectIsNotFollowedAndTheTargetNeverHearsOfTheCredentials() throws Exception {
        HttpServer redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (SmartHttpServer target = SmartHttpServer.serve(origin.bare(), "bot", PASSWORD)) {
            redirector.createContext("/", exchange -> {
                try (exchange) {
                    String rest = exchange.getRequestURI().toString().replaceFirst("^/moved\\.git", "");
                    exchange.getResponseHeaders().set("Location", target.url() + rest);
                    exchange.sendResponseHeaders(301, -1);
                }
            });
            redirector.start();
            String config = "allowed-schemes = [http]\nallowed-hosts = [\"127.0.0.1\"]\n"
                    + "credentials { \"127.0.0.1\" { username = bot, password = \"" + PASSWORD + "\" } }\n";
            String url = "http://127.0.0.1:" + redirector.getAddress().getPort() + "/moved.git";

            ExecutionResult result = rig.executor("git-clone", config).execute(TestContext.of("a", "url", url));

            assertThat(result).isNotInstanceOf(ExecutionResult.Success.class);
            assertThat(result.message()).doesNotContain(PASSWORD);
            assertThat(target.requests()).as("the redirect's target was never asked").isZero();
            assertThat(target.credentialsReceived()).isEmpty();
        } finally {
            redirector.stop(0);
        }
    }

    @Test
    void jgitReadsOnlyTheRunnersFixedConfig() throws Exception {
        rig.executor("git-clone", "allowed-schemes = [http]\nallowed-hosts = [\"127.0.0.1\"]\n"); // installs it
        SystemReader reader = SystemReader.getInstance();
        assertThat(reader.getUserConfig().getString("http", null, "followRedirects")).isEqualTo("false");
        assertThat(reader.getUserConfig().getSections()).containsExactly("http");
        assertThat(reader.getSystemConfig().getSections()).isEmpty();
        assertThat(reader.getUserConfig().toString()).contains("fixed git config");
    }
}
