package io.jobrunner.runner.executor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.TestHandlers.BadParamsHandler;
import io.jobrunner.runner.executor.TestHandlers.BlockingHandler;
import io.jobrunner.runner.executor.TestHandlers.BrokenHandler;
import io.jobrunner.runner.executor.TestHandlers.ClosingHandler;
import io.jobrunner.runner.executor.TestHandlers.CooperativeHandler;
import io.jobrunner.runner.executor.TestHandlers.RateLimitedHandler;
import io.jobrunner.runner.executor.TestHandlers.RecordingHandler;
import io.jobrunner.runner.executor.TestHandlers.StubbornHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JavaExecutorTest {

    private static final String PATH = "jobrunner.executors.resize";
    private static final String SELF = TestHandlers.class.getName();

    @TempDir
    Path dir;

    private final ExecutorService runs = Executors.newCachedThreadPool();
    private JobExecutor executor;

    @AfterEach
    void tearDown() {
        StubbornHandler.release.countDown();
        if (executor != null) {
            executor.close();
        }
        runs.shutdownNow();
    }

    private JobExecutor java(String hocon) {
        executor = new JavaExecutorFactory().create("java", ConfigFactory.parseString(hocon), PATH);
        return executor;
    }

    private JobExecutor handler(Class<? extends JobHandler> type) {
        return java("class = \"" + type.getName() + "\"\nstop-grace = 300ms");
    }

    private static Job job() {
        return Job.of("resize", JsonNodeFactory.instance.objectNode().put("width", 120)).inDomain("wiki-en");
    }

    @Test
    void aHandlerThatReturnsSucceedsAndSeesTheJobAndContext() {
        handler(RecordingHandler.class);
        Job job = job();
        TestExecutionContext context = new TestExecutionContext(job, 3, Duration.ofMinutes(2));

        ExecutionResult result = executor.execute(context);

        assertThat(result).isEqualTo(ExecutionResult.success());
        RecordingHandler handler = (RecordingHandler) ((JavaExecutor) executor).handler();
        assertThat(handler.seen).containsEntry(job.id(), "resize/wiki-en/120 attempt 3 timeout PT2M");
        assertThat(handler.threads.get(job.id())).as("the calling thread").isEqualTo(Thread.currentThread().getName());
        assertThat(context.heartbeats()).isEqualTo(1);
    }

    @Test
    void retryableJobExceptionIsARetryWithItsDelay() {
        handler(RateLimitedHandler.class);

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Retry("rate limited", Duration.ofSeconds(30)));
    }

    @Test
    void permanentJobExceptionIsAPermanentFailure() {
        handler(BadParamsHandler.class);

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Failure(
                "width must be even (caused by java.lang.IllegalArgumentException: 120)", true));
    }

    @Test
    void anyOtherExceptionIsARetryableFailureNamedByItsClass() {
        handler(BrokenHandler.class);

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Failure("java.lang.IllegalStateException: boom"
                + " (caused by java.io.IOException: disk full)", false));
    }

    @Test
    void cancellationInterruptsTheHandlerAndReportsARetry() {
        handler(BlockingHandler.class);
        TestExecutionContext context = new TestExecutionContext(job());
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
        BlockingHandler handler = (BlockingHandler) ((JavaExecutor) executor).handler();
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.started.getCount() == 0);

        context.cancel();

        ExecutionResult result = run.join();
        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).startsWith("cancelled after ");
        assertThat(handler.interrupted).isTrue();
        assertThat(handler.hookRan).isTrue();
    }

    @Test
    void aHandlerThatReturnsAfterCancellationIsStillARetry() {
        handler(CooperativeHandler.class);
        TestExecutionContext context = new TestExecutionContext(job(), 1, Duration.ofMillis(100));
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
        CooperativeHandler handler = (CooperativeHandler) ((JavaExecutor) executor).handler();
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.started.getCount() == 0);
        long start = System.nanoTime(); // after the executor's own start: the run is at least this old
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - start > context.timeout().toNanos());

        context.cancel();

        ExecutionResult result = run.join();
        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).startsWith("timed out after ").contains("(timeout 100ms)");
    }

    @Test
    void theHandlerRunsOnTheCallingThreadWithItsClassLoader() {
        handler(TestHandlers.ThreadProbe.class);
        TestHandlers.ThreadProbe probe = (TestHandlers.ThreadProbe) ((JavaExecutor) executor).handler();
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        assertThat(executor.execute(new TestExecutionContext(job()))).isInstanceOf(ExecutionResult.Success.class);

        assertThat(probe.threads).containsExactly(Thread.currentThread());
        assertThat(probe.loaders).containsExactly(TestHandlers.ThreadProbe.class.getClassLoader());
        assertThat(Thread.currentThread().getContextClassLoader()).as("restored after the run").isSameAs(before);
    }

    @Test
    void aHandlerThatIgnoresInterruptsHoldsItsThreadUntilItReturnsAndIsStillARetry() {
        handler(StubbornHandler.class);
        TestExecutionContext context = new TestExecutionContext(job());
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
        StubbornHandler handler = (StubbornHandler) ((JavaExecutor) executor).handler();
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.started.getCount() == 0);

        context.cancel();
        await().atMost(Duration.ofSeconds(30)).until(handler.interrupts::get);

        assertThat(run).as("the handler loops until released; the runner gives up on such a slot (StuckSlotIT)").isNotDone();
        assertThat(executor.stopGrace()).isEqualTo(Duration.ofMillis(300));
        StubbornHandler.release.countDown();
        ExecutionResult result = run.join();
        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).startsWith("cancelled after ");
    }

    @Test
    void aCancelledRunsInterruptNeverReachesTheNextRunOnTheSameThread() {
        handler(TestHandlers.InterruptProbe.class);
        TestHandlers.InterruptProbe probe = (TestHandlers.InterruptProbe) ((JavaExecutor) executor).handler();
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try {
            TestExecutionContext first = new TestExecutionContext(job());
            CompletableFuture<ExecutionResult> firstRun = CompletableFuture.supplyAsync(() -> executor.execute(first), oneThread);
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.firstStarted.getCount() == 0);
            first.cancel();
            assertThat(firstRun.join()).isInstanceOf(ExecutionResult.Retry.class);
            first.cancel(); // a late cancel of a finished run interrupts nothing

            for (int i = 0; i < 20; i++) {
                CompletableFuture<ExecutionResult> next = CompletableFuture.supplyAsync(
                        () -> executor.execute(new TestExecutionContext(job())), oneThread);
                assertThat(next.join()).isInstanceOf(ExecutionResult.Success.class);
            }
            assertThat(probe.beganInterrupted).hasSize(21).containsOnly(false);
            assertThat(new java.util.HashSet<>(probe.threads)).as("one thread served every run").hasSize(1);
        } finally {
            oneThread.shutdownNow();
        }
    }

    @Test
    void aHandlerLoadedFromThePluginsDirectory() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        buildPluginJar(plugins.resolve("echo-plugin.jar"));
        Files.writeString(plugins.resolve("README.txt"), "not a jar");
        assertThatThrownBy(() -> java("class = plugin.demo.EchoHandler"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("set plugins-dir");

        java("class = plugin.demo.EchoHandler\nplugins-dir = \"" + plugins + "\"");

        assertThat(executor.execute(new TestExecutionContext(job()))).isEqualTo(ExecutionResult.success());
        Job failing = Job.of("resize", JsonNodeFactory.instance.objectNode().put("fail", true));
        assertThat(executor.execute(new TestExecutionContext(failing)))
                .isEqualTo(ExecutionResult.permanentFailure("plugin refuses " + failing.id()));
        assertThat(((JavaExecutor) executor).handler().getClass().getClassLoader().getName())
                .isEqualTo("plugins " + plugins);
    }

    @Test
    void closeClosesAnAutoCloseableHandler() {
        handler(ClosingHandler.class);
        ClosingHandler handler = (ClosingHandler) ((JavaExecutor) executor).handler();

        executor.close();

        assertThat(handler.closed).isTrue();
    }

    @Test
    void configErrorsNameTheFullPathAndWhatIsAllowed() {
        assertThatThrownBy(() -> java("plugins-dir = /tmp"))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("implementing " + JobHandler.class.getName());
        assertThatThrownBy(() -> java("class = com.example.NoSuchHandler"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("com.example.NoSuchHandler not found");
        assertThatThrownBy(() -> java("class = \"" + SELF + "$NotAHandler\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("does not implement");
        assertThatThrownBy(() -> java("class = \"" + SELF + "$NeedsArguments\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("public no-argument constructor");
        assertThatThrownBy(() -> java("class = \"" + SELF + "$AbstractHandler\""))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("public and concrete");
        assertThatThrownBy(() -> java("class = \"" + SELF + "$HiddenHandler\""))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("public and concrete");
        assertThatThrownBy(() -> java("class = \"" + SELF + "$FailingConstructor\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".class").hasMessageContaining("threw java.lang.IllegalStateException: no license");
        assertThatThrownBy(() -> java("class = \"" + RecordingHandler.class.getName() + "\"\nplugins-dir = \""
                + dir.resolve("missing") + "\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".plugins-dir").hasMessageContaining("not a directory");
        assertThatThrownBy(() -> java("class = \"" + RecordingHandler.class.getName() + "\"\nstop-grace = soon"))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining(PATH + ".stop-grace");
        assertThatThrownBy(() -> java("class = \"" + RecordingHandler.class.getName() + "\"\nclasspath = x"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".classpath").hasMessageContaining("class, kind, plugins-dir, stop-grace");
    }

    /** Compiles a handler that is not on the test classpath into a jar. */
    private void buildPluginJar(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/plugin/demo"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path source = Files.writeString(src.resolve("EchoHandler.java"), """
                package plugin.demo;

                import io.jobrunner.client.Job;
                import io.jobrunner.runner.executor.JobContext;
                import io.jobrunner.runner.executor.JobHandler;
                import io.jobrunner.runner.executor.PermanentJobException;

                public class EchoHandler implements JobHandler {
                    @Override
                    public void handle(Job job, JobContext context) throws Exception {
                        if (job.params().path("fail").asBoolean()) {
                            throw new PermanentJobException("plugin refuses " + job.id());
                        }
                    }
                }
                """);
        String classpath = Stream.of(JobHandler.class, Job.class, org.slf4j.Logger.class,
                        com.fasterxml.jackson.databind.node.ObjectNode.class, com.fasterxml.jackson.core.TreeNode.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                .collect(Collectors.joining(java.io.File.pathSeparator));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-proc:none", "-classpath", classpath,
                "-d", classes.toString(), source.toString());
        assertThat(status).isZero();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("plugin/demo/EchoHandler.class"));
            out.write(Files.readAllBytes(classes.resolve("plugin/demo/EchoHandler.class")));
            out.closeEntry();
        }
    }
}
