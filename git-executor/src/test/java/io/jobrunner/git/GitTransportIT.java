package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.jobrunner.git.GitExecutorIT.assertPermanent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executors over real network transports on loopback: JGit's git:// daemon, and git smart HTTP behind
 * Basic auth (credentials from config or the environment, never in logs or results).
 */
@ExtendWith(RedisExtension.class)
class GitTransportIT {

    private static final String GIT_PROTOCOL = "allowed-schemes = [git]\nallowed-hosts = [\"127.0.0.1\"]\n";
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir
    Path tmp;

    private TestRedis redis;
    private OriginRepo origin;
    private Path root;
    private GitRig rig;

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        this.redis = redis;
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "pack");
        rig = new GitRig(redis.client(), root);
    }

    @AfterEach
    void tearDown() {
        rig.close();
        origin.close();
    }

    @Test
    void cloneSyncAndRemoveOverTheGitProtocol() throws Exception {
        try (GitDaemonServer daemon = GitDaemonServer.serve(origin.bare().getParent())) {
            String url = daemon.url("pack");
            GitExecutor clone = rig.executor("git-clone", GIT_PROTOCOL);
            GitExecutor sync = rig.executor("git-sync", GIT_PROTOCOL);

            ExecutionResult cloned = clone.execute(TestContext.of("repoAdd", "url", url));
            assertThat(cloned).isInstanceOf(ExecutionResult.Success.class);
            assertThat(cloned.message()).contains("cloned " + url, "branch main", origin.head().name());
            assertThat(clone.execute(TestContext.of("repoAdd", "url", url)).message()).contains("not cloned again");

            ObjectId first = origin.head();
            origin.tag("v1");
            ObjectId second = origin.commit("two.txt", "2\n", "two");
            ExecutionResult synced = sync.execute(TestContext.of("repoSync", "url", url));
            assertThat(synced.message()).contains("old " + first.name(), "new " + second.name());
            assertThat(root.resolve("pack/two.txt")).exists();

            assertThat(sync.execute(TestContext.of("repoSync", "name", "pack", "ref", "v1")).message()).contains("tag v1", "new " + first.name());
            assertThat(sync.execute(TestContext.of("repoSync", "name", "pack", "ref", second.name())).message()).contains("new " + second.name());

            GitExecutor remove = rig.executor("git-remove", GIT_PROTOCOL);
            assertThat(remove.execute(TestContext.of("repoRemove", "url", url))).isInstanceOf(ExecutionResult.Success.class);
            assertThat(remove.execute(TestContext.of("repoRemove", "url", url)).message()).contains("already gone");
            assertThat(root.resolve("pack")).doesNotExist();
        }
    }

    @Test
    void schemesAndHostsThatAreNotAllowedArePermanentFailures() throws Exception {
        try (GitDaemonServer daemon = GitDaemonServer.serve(origin.bare().getParent())) {
            assertPermanent(rig.executor("git-clone", "allowed-schemes = [https]").execute(TestContext.of("a", "url", daemon.url("pack"))),
                    "uses scheme 'git'", "allowed: https");
            assertPermanent(rig.executor("git-clone", "").execute(TestContext.of("a", "url", "https://127.0.0.1/x.git")),
                    "uses scheme 'https'", "allowed: file");
            assertPermanent(rig.executor("git-clone", "allowed-schemes = [https]").execute(TestContext.of("a", "url", origin.fileUrl())),
                    "uses scheme 'file'");
            assertPermanent(rig.executor("git-clone", "allowed-schemes = [git]\nallowed-hosts = [git.example.org]").execute(TestContext.of("a", "url", daemon.url("pack"))),
                    "names host '127.0.0.1'", "allowed: git.example.org");
            assertPermanent(rig.executor("git-clone", "allowed-schemes = [git, https]").execute(TestContext.of("a", "url", "not a url at all")),
                    "is not valid");
            assertThat(Files.list(root)).isEmpty();
        }
    }

    @Test
    void aStoredOriginThatIsNoLongerAllowedIsNotFetched() throws Exception {
        try (GitDaemonServer daemon = GitDaemonServer.serve(origin.bare().getParent())) {
            rig.executor("git-clone", GIT_PROTOCOL).execute(TestContext.of("a", "url", daemon.url("pack")));

            ExecutionResult result = rig.executor("git-sync", "allowed-schemes = [https]").execute(TestContext.of("s", "name", "pack"));

            assertPermanent(result, "its origin is not allowed", "uses scheme 'git'");
        }
    }

    @Test
    void anUnreachableServerIsARetryAndAMissingRepositoryIsPermanent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        ExecutionResult unreachable = rig.executor("git-clone", GIT_PROTOCOL).execute(TestContext.of("a", "url", "git://127.0.0.1:" + closedPort + "/pack.git"));
        assertThat(unreachable).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(unreachable.message()).contains("will retry");

        try (GitDaemonServer daemon = GitDaemonServer.serve(origin.bare().getParent())) {
            ExecutionResult missing = rig.executor("git-clone", GIT_PROTOCOL).execute(TestContext.of("a", "url", daemon.url("no-such-repo")));
            assertPermanent(missing, "no repository there");
        }
        assertThat(Files.list(root)).isEmpty();
    }

    @Test
    void anHttpServerThatStopsAnsweringIsARetryAfterTheTransportTimeout() throws Exception {
        // the kernel completes the connection (backlog) but nobody ever answers. (Over git:// JGit's read
        // timeout relies on interrupting the reading thread, which JDK 17 sockets ignore: not tested there.)
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            ExecutionResult result = rig.executor("git-clone", "allowed-schemes = [http]\ntransport-timeout = 1s")
                    .execute(TestContext.of("a", "url", "http://127.0.0.1:" + silent.getLocalPort() + "/pack.git"));

            assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
            assertThat(result.message()).containsIgnoringCase("timed out").contains("will retry");
        }
        assertThat(Files.list(root)).isEmpty();
    }

    @Test
    void credentialsFromConfigGoOverHttpAndNeverIntoLogsOrResults() throws Exception {
        try (SmartHttpServer server = SmartHttpServer.serve(origin.bare(), "bot", PASSWORD); LogCapture logs = new LogCapture()) {
            String config = "allowed-schemes = [http]\ncredentials { \"127.0.0.1\" { username = bot, password = \"" + PASSWORD + "\" } }\n";
            ExecutionResult cloned = rig.executor("git-clone", config).execute(TestContext.of("a", "url", server.url()));
            assertThat(cloned).isInstanceOf(ExecutionResult.Success.class);
            assertThat(server.credentialsReceived()).contains("bot:" + PASSWORD);

            ObjectId next = origin.commit("n.txt", "n\n", "n");
            ExecutionResult synced = rig.executor("git-sync", config).execute(TestContext.of("s", "name", "repo"));
            assertThat(synced.message()).contains("new " + next.name());

            ExecutionResult wrongPassword = rig.executor("git-clone", config.replace(PASSWORD, PASSWORD + "-old"))
                    .execute(TestContext.of("a", "url", server.url(), "name", "other"));
            assertPermanent(wrongPassword, "refused the credentials");

            ExecutionResult inUrl = rig.executor("git-clone", config)
                    .execute(TestContext.of("a", "url", server.url().replace("http://", "http://bot:" + PASSWORD + "@"), "name", "third"));
            assertPermanent(inUrl, "has a password in it", "http://127.0.0.1:");

            assertThat(logs.size()).isGreaterThan(3);
            for (ExecutionResult result : new ExecutionResult[]{cloned, synced, wrongPassword, inUrl}) {
                assertThat(result.message()).doesNotContain(PASSWORD).doesNotContain("s3cret");
            }
            assertThat(logs.text()).contains("cloned http://127.0.0.1").doesNotContain(PASSWORD).doesNotContain("s3cret");
            assertThat(Files.exists(root.resolve("other"))).isFalse();
        }
    }

    @Test
    void environmentCredentialsAreSentOnlyToAllowedHosts() throws Exception {
        Map<String, String> env = Map.of("GIT_USERNAME", "bot", "GIT_PASSWORD", PASSWORD, "TOKEN_FOR_LOOPBACK", PASSWORD);
        try (SmartHttpServer server = SmartHttpServer.serve(origin.bare(), "bot", PASSWORD); LogCapture logs = new LogCapture();
             GitRig withEnv = new GitRig(redis.client(), root, env)) {
            ExecutionResult anyHost = withEnv.executor("git-clone", "allowed-schemes = [http]").execute(TestContext.of("a", "url", server.url(), "name", "any"));
            assertPermanent(anyHost, "asked for some");
            assertThat(server.credentialsReceived()).isEmpty();

            ExecutionResult listed = withEnv.executor("git-clone", "allowed-schemes = [http]\nallowed-hosts = [\"127.0.0.1\"]")
                    .execute(TestContext.of("a", "url", server.url(), "name", "listed"));
            assertThat(listed).isInstanceOf(ExecutionResult.Success.class);
            assertThat(server.credentialsReceived()).contains("bot:" + PASSWORD);

            ExecutionResult named = withEnv.executor("git-clone",
                            "allowed-schemes = [http]\ncredentials { \"127.0.0.1\" { username = bot, password-env = TOKEN_FOR_LOOPBACK } }")
                    .execute(TestContext.of("a", "url", server.url(), "name", "named"));
            assertThat(named).isInstanceOf(ExecutionResult.Success.class);

            assertThat(logs.text()).contains("never sent").doesNotContain(PASSWORD);
            assertThat(anyHost.message() + listed.message() + named.message()).doesNotContain(PASSWORD);
        }
    }
}
