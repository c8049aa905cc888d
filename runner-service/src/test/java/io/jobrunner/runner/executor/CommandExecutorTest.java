package io.jobrunner.runner.executor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CommandExecutorTest {

    private static final String PATH = "jobrunner.executors.work";

    @TempDir
    Path dir;

    private final ExecutorService runs = Executors.newCachedThreadPool();
    private JobExecutor executor;

    @AfterEach
    void tearDown() {
        if (executor != null) {
            executor.close();
        }
        runs.shutdownNow();
    }

    private JobExecutor command(String hocon) {
        executor = new CommandExecutorFactory().create("command", ConfigFactory.parseString(hocon), PATH);
        return executor;
    }

    /** A test program; the executor itself never runs a shell, the test's programs happen to be scripts. */
    private String script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file.toString();
    }

    private static Job job() {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("file", "a b.png").put("width", 120);
        return Job.of("resize.image", params).inDomain("wiki-en");
    }

    @Test
    void runsArgvWithPlaceholdersEnvironmentWorkdirAndJobJsonOnStdin() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path work = Files.createDirectory(dir.resolve("work"));
        String program = script("record.sh", """
                for a in "$@"; do echo "$a"; done > "%1$s/args"
                echo "$JOB_ID|$JOB_TYPE|$JOB_DOMAIN|$JOB_ATTEMPT|$GREETING" > "%1$s/env"
                pwd > "%1$s/pwd"
                cat > "%1$s/stdin"
                """.formatted(out));
        command("""
                argv = ["%s", "{type}", "{domain}", "{id}", "{attempt}", "pre-{id}-{attempt}", "{other}", "a b"]
                env { GREETING = "hello world" }
                workdir = "%s"
                """.formatted(program, work));
        Job job = job();

        ExecutionResult result = executor.execute(new TestExecutionContext(job, 2, Duration.ofMinutes(1)));

        assertThat(result).isEqualTo(ExecutionResult.success());
        assertThat(Files.readAllLines(out.resolve("args"))).containsExactly(
                "resize.image", "wiki-en", job.id(), "2", "pre-" + job.id() + "-2", "{other}", "a b");
        assertThat(Files.readString(out.resolve("env")).strip())
                .isEqualTo(job.id() + "|resize.image|wiki-en|2|hello world");
        assertThat(Path.of(Files.readString(out.resolve("pwd")).strip()).toRealPath()).isEqualTo(work.toRealPath());
        String stdin = Files.readString(out.resolve("stdin"));
        assertThat(stdin).isEqualTo(JobCodec.encode(job));
        assertThat(JobCodec.decode(stdin)).isEqualTo(job);
    }

    @Test
    void theProgramGetsAnAllowListOfTheRunnersEnvironmentNotAllOfIt() throws IOException {
        String secret = System.getenv().keySet().stream()
                .filter(k -> !CommandExecutor.PASSED_BY_DEFAULT.contains(k) && k.matches("[A-Z_][A-Z0-9_]*"))
                .findFirst().orElseThrow(() -> new IllegalStateException("the test JVM has no other environment variable"));
        Path out = Files.createDirectory(dir.resolve("out"));
        String program = script("env.sh", "env > \"%s/$2\"\n".formatted(out)); // $1 is the "--"
        command("argv = [\"%s\", \"--\", \"plain\"]\nenv { EXTRA = x }".formatted(program));
        assertThat(executor.execute(new TestExecutionContext(job(), 1, Duration.ofMinutes(1)))).isEqualTo(ExecutionResult.success());
        command("argv = [\"%s\", \"--\", \"passed\"]\npass-env = [\"%s\"]".formatted(program, secret));
        assertThat(executor.execute(new TestExecutionContext(job(), 1, Duration.ofMinutes(1)))).isEqualTo(ExecutionResult.success());

        List<String> plain = Files.readAllLines(out.resolve("plain"));
        assertThat(plain).contains("PATH=" + System.getenv("PATH"), "EXTRA=x").anyMatch(l -> l.startsWith("JOB_ID="))
                .noneMatch(l -> l.startsWith(secret + "="));
        assertThat(Files.readAllLines(out.resolve("passed"))).anyMatch(l -> l.startsWith(secret + "="));
    }

    @Test
    void exit75IsARetryWithTheOutput() throws IOException {
        command("argv = [\"" + script("busy.sh", "echo 'upstream busy' >&2; echo partial; exit 75") + "\"]");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(((ExecutionResult.Retry) result).retryAfter()).isNull();
        assertThat(result.message()).contains("exited with 75 (EX_TEMPFAIL)", "stderr: upstream busy", "stdout: partial");
    }

    @Test
    void otherExitCodesAreRetryableFailures() throws IOException {
        command("argv = [\"" + script("fail.sh", "echo 'cannot open input' >&2; exit 3") + "\"]");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isInstanceOf(ExecutionResult.Failure.class);
        assertThat(((ExecutionResult.Failure) result).permanent()).isFalse();
        assertThat(result.message()).contains("exited with 3 ", "stderr: cannot open input").doesNotContain("stdout:");
    }

    @Test
    void aMissingExecutableIsAPermanentFailure() {
        String missing = dir.resolve("no-such-program").toString();
        command("argv = [\"" + missing + "\", \"{id}\"]");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isInstanceOf(ExecutionResult.Failure.class);
        assertThat(((ExecutionResult.Failure) result).permanent()).isTrue();
        assertThat(result.message()).contains(missing, "not found");
    }

    @Test
    void aNonExecutableFileIsAPermanentFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "not a program");
        command("argv = [\"" + file + "\"]");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Failure(result.message(), true));
        assertThat(result.message()).contains("permission denied");
    }

    @Test
    void outputIsBoundedKeepingTheLastBytesOfEachStream() throws IOException {
        String program = script("chatty.sh", """
                i=0
                while [ $i -lt 400 ]; do echo "line $i of noise on stdout"; echo "line $i of noise on stderr" >&2; i=$((i+1)); done
                echo LAST-OUT
                echo LAST-ERR >&2
                exit 1
                """);
        command("argv = [\"" + program + "\"]\nmax-output = 1k");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        String message = result.message();
        assertThat(message).contains("truncated", "kept the last 1024", "LAST-OUT", "LAST-ERR")
                .doesNotContain("line 0 of noise");
        assertThat(message.length()).isLessThan(2 * 1024 + 400);
    }

    @Test
    void aProgramThatDoesNotReadALargeStdinStillCompletes() throws IOException {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(512 * 1024));
        command("argv = [\"" + script("ignore-stdin.sh", "exit 0") + "\"]");

        ExecutionResult result = executor.execute(new TestExecutionContext(Job.of("big", params)));

        assertThat(result).isEqualTo(ExecutionResult.success());
    }

    @Test
    void cancellationKillsTheWholeTreeEvenWhenItIgnoresSigterm() throws IOException {
        String program = script("stubborn.sh", """
                trap '' TERM
                sleep 600 &
                echo $! > "$1/child.pid.tmp" && mv "$1/child.pid.tmp" "$1/child.pid"
                echo $$ > "$1/parent.pid.tmp" && mv "$1/parent.pid.tmp" "$1/parent.pid"
                echo started
                wait
                """);
        command("argv = [\"" + program + "\", \"" + dir + "\"]\nstop-grace = 300ms");
        TestExecutionContext context = new TestExecutionContext(job());
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("child.pid"))
                && Files.exists(dir.resolve("parent.pid")));
        long parent = Long.parseLong(Files.readString(dir.resolve("parent.pid")).strip());
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        try {
            assertThat(running(parent)).isTrue();
            assertThat(running(child)).isTrue();

            context.cancel();

            ExecutionResult result = run.join();
            assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
            assertThat(result.message()).startsWith("cancelled after ").contains("killed", "stdout: started");
            await().atMost(Duration.ofSeconds(30)).until(() -> !running(parent) && !running(child));
        } finally {
            // should the executor have failed, the test still leaves nothing behind
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(parent).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aTimeoutReadsAsTimedOut() throws IOException {
        command("argv = [\"" + script("slow.sh", "touch \"$1/started\"\nexec sleep 600") + "\", \"" + dir
                + "\"]\nstop-grace = 300ms");
        TestExecutionContext context = new TestExecutionContext(job(), 1, Duration.ofMillis(200));
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("started")));
        long start = System.nanoTime(); // after the executor's own start: the run is at least this old
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - start > context.timeout().toNanos());
        context.cancel();

        assertThat(run.join().message()).startsWith("timed out after ").contains("(timeout 200ms)");
    }

    @Test
    void aRunCancelledBeforeItStartsStartsNothing() throws IOException {
        String program = script("touch.sh", "touch \"$1/ran\"");
        command("argv = [\"" + program + "\", \"" + dir + "\"]");
        TestExecutionContext context = new TestExecutionContext(job());
        context.cancel();

        ExecutionResult result = executor.execute(context);

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void configErrorsNameTheFullPathAndWhatIsAllowed() throws IOException {
        assertThatThrownBy(() -> command("env { A = b }"))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining(PATH + ".argv").hasMessageContaining("a non-empty list of strings");
        assertThatThrownBy(() -> command("argv = []"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".argv").hasMessageContaining("empty list");
        assertThatThrownBy(() -> command("argv = \"/bin/handle {id}\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".argv").hasMessageContaining("list of strings");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\", {a = 1}]"))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining(PATH + ".argv");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nworkdir = \"" + dir.resolve("none") + "\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".workdir").hasMessageContaining("existing directory");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nmax-output = lots"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".max-output").hasMessageContaining("64k");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nmax-output = 1g"))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("0 to 16777216");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nstop-grace = -1s"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".stop-grace").hasMessageContaining("positive duration");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nenv { A = [1] }"))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining(PATH + ".env.A");
        assertThatThrownBy(() -> command("argv = [\"/bin/true\"]\nmax-ouput = 1k"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".max-ouput").hasMessageContaining("allowed keys: argv, env, kind");
    }

    @Test
    void placeholdersAreReplacedInOnePass() {
        CommandExecutor command = (CommandExecutor) command("argv = [\"/bin/x\", \"{id}{type}\", \"{{id}}\", \"{ID}\"]");
        Job job = job();

        List<String> argv = command.argv(job, 7);

        assertThat(argv).containsExactly("/bin/x", job.id() + "resize.image", "{" + job.id() + "}", "{ID}");
    }

    /** Alive and not a zombie: this container's init may never reap orphans, and a zombie is dead. */
    static boolean running(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
