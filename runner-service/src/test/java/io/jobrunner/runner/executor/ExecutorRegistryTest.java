package io.jobrunner.runner.executor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutorRegistryTest {

    private static final String PATH = "jobrunner.executors";

    private static Config executors(String hocon) {
        return ConfigFactory.parseString("jobrunner.executors {\n" + hocon + "\n}").resolve().getConfig(PATH);
    }

    @Test
    void serviceLoaderFindsTheBuiltInKinds() {
        Map<String, ExecutorFactory> factories = ExecutorRegistry.factories(getClass().getClassLoader());

        assertThat(factories).containsKeys("command", "http", "java");
        assertThat(factories.get("command")).isInstanceOf(CommandExecutorFactory.class);
        assertThat(factories.get("http")).isInstanceOf(HttpExecutorFactory.class);
        assertThat(factories.get("java")).isInstanceOf(JavaExecutorFactory.class);
    }

    @Test
    void resolvesTheExactTypeThenTheDefault() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(executors("""
                "*"         { kind = command, argv = ["/usr/local/bin/handle-job", "{type}", "{id}"] }
                sendMail    { kind = http, url = "http://127.0.0.1:8080/jobs" }
                resizeImage { kind = java, class = "%s" }
                "video.transcode" { kind = command, argv = ["/usr/local/bin/transcode"] }
                """.formatted(TestHandlers.RecordingHandler.class.getName())), PATH)) {

            assertThat(registry.types()).containsExactlyInAnyOrder("*", "sendMail", "resizeImage", "video.transcode");
            assertThat(registry.forType("sendMail")).containsInstanceOf(HttpExecutor.class);
            assertThat(registry.forType("resizeImage")).containsInstanceOf(JavaExecutor.class);
            assertThat(registry.forType("video.transcode").orElseThrow()).hasToString(
                    "command executor [/usr/local/bin/transcode]");
            assertThat(registry.forType("htmlCacheUpdate").orElseThrow()).hasToString(
                    "command executor [/usr/local/bin/handle-job, {type}, {id}]");
        }
    }

    @Test
    void withoutADefaultAnUnconfiguredTypeHasNoExecutor() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(executors(
                "sendMail { kind = http, url = \"http://127.0.0.1:8080/jobs\" }"), PATH)) {

            assertThat(registry.forType("sendMail")).isPresent();
            assertThat(registry.forType("other")).isEmpty();
        }
    }

    @Test
    void anEmptyBlockHasNoExecutors() {
        try (ExecutorRegistry registry = ExecutorRegistry.load(ConfigFactory.empty(), PATH)) {
            assertThat(registry.types()).isEmpty();
            assertThat(registry.forType("any")).isEmpty();
        }
    }

    @Test
    void anUnknownKindNamesThePathAndTheKnownKinds() {
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("resize { kind = python }"), PATH))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("jobrunner.executors.resize.kind")
                .hasMessageContaining("unknown executor kind \"python\"")
                .hasMessageContaining("command, ")
                .hasMessageContaining("http, java");
    }

    @Test
    void aMissingKindNamesThePathAndHintsAtQuotingDottedTypes() {
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("resize { class = x }"), PATH))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining("jobrunner.executors.resize.kind").hasMessageContaining("one of: command");
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("video.transcode { kind = command, argv = [x] }"), PATH))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining("jobrunner.executors.video.kind")
                .hasMessageContaining("must be quoted");
    }

    @Test
    void badBlocksAndKeysAreRejectedWithThePath() {
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("resize = java"), PATH))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("jobrunner.executors.resize").hasMessageContaining("{ kind = ..., ... }");
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("\"bad type\" { kind = command, argv = [x] }"), PATH))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("jobrunner.executors.\"bad type\"").hasMessageContaining("[A-Za-z0-9_.-]");
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("resize { kind = [java] }"), PATH))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("jobrunner.executors.resize.kind");
        assertThatThrownBy(() -> ExecutorRegistry.load(executors("\"*\" { kind = command }"), PATH))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining("jobrunner.executors.\"*\".argv");
    }

    @Test
    void aFailureClosesTheExecutorsAlreadyBuilt() {
        List<String> closed = new CopyOnWriteArrayList<>();
        ExecutorFactory probe = new ExecutorFactory() {
            @Override
            public Set<String> kinds() {
                return Set.of("probe");
            }

            @Override
            public JobExecutor create(String kind, Config config, String path) {
                return new JobExecutor() {
                    @Override
                    public ExecutionResult execute(ExecutionContext context) {
                        return ExecutionResult.success();
                    }

                    @Override
                    public void close() {
                        closed.add(path);
                    }
                };
            }
        };
        Map<String, ExecutorFactory> factories = Map.of("probe", probe, "java", new JavaExecutorFactory());

        assertThatThrownBy(() -> ExecutorRegistry.load(executors("""
                a { kind = probe }
                b { kind = java, class = com.example.Missing }
                """), PATH, factories)).isInstanceOf(ConfigException.BadValue.class);
        assertThat(closed).containsExactly("jobrunner.executors.a");

        ExecutorRegistry registry = ExecutorRegistry.load(executors("a { kind = probe }\n\"*\" { kind = probe }"),
                PATH, factories);
        registry.close();
        assertThat(closed).contains("jobrunner.executors.\"*\"").hasSize(3);
    }
}
