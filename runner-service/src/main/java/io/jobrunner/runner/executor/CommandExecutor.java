package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobMetadata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jobs as an external program (the {@code command} kind), never through a shell.
 * <ol>
 *   <li>builds the argv with {@code {type}}, {@code {domain}}, {@code {id}}, {@code {attempt}} replaced, the
 *       environment from an allow-list ({@code PATH}, {@code HOME}, {@code LANG}, the names in {@code pass-env}),
 *       the configured {@code env}, {@code JOB_ID}, {@code JOB_TYPE}, {@code JOB_DOMAIN}, {@code JOB_ATTEMPT}, the
 *       run's metadata ({@code TRACEPARENT}, {@code JOB_META_<KEY>}: {@link JobMetadata#environmentName}), and
 *       writes the job's full JSON to stdin;</li>
 *   <li>captures stdout and stderr, the last {@code max-output} bytes of each, into the log and the result;</li>
 *   <li>maps the exit code: 0 = success, 75 (EX_TEMPFAIL) = retry, anything else = retryable failure; a
 *       program that cannot be started (missing, not executable) = permanent failure;</li>
 *   <li>on cancellation (timeout, shutdown, or the slot thread interrupted) kills the whole process tree
 *       ({@link ProcessTree}) and reports a retry "timed out after ...".</li>
 * </ol>
 */
final class CommandExecutor implements JobExecutor {

    static final int EX_TEMPFAIL = 75;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(type|domain|id|attempt)}");
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The validated config of one command executor. */
    record Settings(List<String> argv, Map<String, String> env, List<String> passEnv, Path workdir, int maxOutput, Duration stopGrace) {
    }

    /** What a program gets of the runner's environment without {@code pass-env}. */
    static final List<String> PASSED_BY_DEFAULT = List.of("PATH", "HOME", "LANG");

    private final Settings settings;
    private final ExecutorService io = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "command-io-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    CommandExecutor(Settings settings) {
        this.settings = settings;
    }

    @Override
    public ExecutionResult execute(ExecutionContext context) {
        long start = System.nanoTime();
        if (context.cancelled()) {
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        Job job = context.job();
        List<String> argv = argv(job, context.attempt());
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (settings.workdir() != null) {
            builder.directory(settings.workdir().toFile());
        }
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = Map.copyOf(env);
        env.clear(); // an allow-list: the runner's environment may hold secrets (the Redis URI's password)
        for (List<String> names : List.of(PASSED_BY_DEFAULT, settings.passEnv())) {
            names.forEach(name -> {
                if (inherited.containsKey(name)) {
                    env.put(name, inherited.get(name));
                }
            });
        }
        env.putAll(settings.env());
        context.metadata().forEach((key, value) -> env.put(JobMetadata.environmentName(key), value));
        env.put("JOB_ID", job.id());
        env.put("JOB_TYPE", job.type());
        env.put("JOB_DOMAIN", job.domain());
        env.put("JOB_ATTEMPT", Integer.toString(context.attempt()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return cannotStart(argv.get(0), e);
        }
        OutputCapture stdout = OutputCapture.tail(settings.maxOutput());
        OutputCapture stderr = OutputCapture.tail(settings.maxOutput());
        byte[] json = JobCodec.encode(job).getBytes(StandardCharsets.UTF_8);
        CompletableFuture.runAsync(() -> writeStdin(process, json, context), io);
        CompletableFuture<Void> output = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> drain(process.getInputStream(), stdout), io),
                CompletableFuture.runAsync(() -> drain(process.getErrorStream(), stderr), io));
        CompletableFuture<Process> exited = process.onExit(); // one future: each call makes a new one
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        context.onCancel(() -> cancelled.complete(null));
        boolean slotInterrupted = false;
        try {
            CompletableFuture.anyOf(exited, cancelled).get();
        } catch (InterruptedException e) {
            slotInterrupted = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: neither future completes exceptionally", e);
        }
        try {
            boolean stopped = !exited.isDone();
            if (stopped) {
                context.log().info("stopping command {} (pid {})", argv.get(0), process.pid());
                ProcessTree.kill(process, settings.stopGrace(), context.log());
            }
            if (!awaitOutput(output)) {
                context.log().warn("command {} (pid {}) exited but its output is still open after {} (a background"
                        + " process holds it); reporting what was read", argv.get(0), process.pid(),
                        Outcomes.format(settings.stopGrace()));
            }
            return outcome(context, argv.get(0), process, stopped, start, stdout, stderr);
        } finally {
            if (slotInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, stop-grace, SIGKILL, then up to stop-grace for the output to close: twice stop-grace and a margin. */
    @Override
    public Duration stopGrace() {
        return settings.stopGrace().multipliedBy(2).plusSeconds(1);
    }

    List<String> argv(Job job, int attempt) {
        List<String> out = new ArrayList<>(settings.argv().size());
        for (String arg : settings.argv()) {
            Matcher m = PLACEHOLDER.matcher(arg);
            out.add(m.replaceAll(match -> Matcher.quoteReplacement(switch (match.group(1)) {
                case "type" -> job.type();
                case "domain" -> job.domain();
                case "id" -> job.id();
                default -> Integer.toString(attempt);
            })));
        }
        return out;
    }

    private ExecutionResult outcome(ExecutionContext context, String program, Process process, boolean stopped,
                                    long start, OutputCapture stdout, OutputCapture stderr) {
        String output = streams(stdout, stderr);
        String elapsed = Outcomes.format(Outcomes.since(start));
        if (stopped) {
            String message = Outcomes.stopped(context, start) + "; process tree of " + program + " killed" + output;
            context.log().warn("{}", message);
            return ExecutionResult.retry(message);
        }
        int code = process.exitValue();
        if (code == 0) {
            if (output.isEmpty()) {
                context.log().debug("command {} exited 0 after {}", program, elapsed);
            } else {
                context.log().info("command {} exited 0 after {}{}", program, elapsed, output);
            }
            return ExecutionResult.success();
        }
        String message = "command " + program + " exited with " + describeExit(code) + " after " + elapsed + output;
        context.log().warn("{}", message);
        return code == EX_TEMPFAIL ? ExecutionResult.retry(message) : new ExecutionResult.Failure(message, false);
    }

    private static String describeExit(int code) {
        if (code == EX_TEMPFAIL) {
            return "75 (EX_TEMPFAIL)";
        }
        return code > 128 && code < 160 ? code + " (killed by signal " + (code - 128) + ")" : Integer.toString(code);
    }

    private static String streams(OutputCapture stdout, OutputCapture stderr) {
        StringBuilder out = new StringBuilder();
        if (stderr.total() > 0) {
            out.append("; stderr: ").append(stderr.text());
        }
        if (stdout.total() > 0) {
            out.append("; stdout: ").append(stdout.text());
        }
        return out.toString();
    }

    /** A program that cannot start: permanent when retrying cannot help (missing, not executable). */
    private ExecutionResult cannotStart(String program, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        boolean permanent = reason.contains("error=2,") || reason.contains("error=13,")
                || reason.contains("error=20,") || reason.contains("error=8,");
        String what;
        if (settings.workdir() != null && !Files.isDirectory(settings.workdir())) {
            what = "cannot start: workdir " + settings.workdir() + " is gone: ";
        } else if (reason.contains("error=2,")) {
            what = "executable not found: ";
        } else if (reason.contains("error=13,")) {
            what = "permission denied: ";
        } else {
            what = "cannot start: ";
        }
        return new ExecutionResult.Failure("command " + program + " " + what + reason, permanent);
    }

    private static void writeStdin(Process process, byte[] json, ExecutionContext context) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(json);
        } catch (IOException e) {
            // the program exited or closed stdin without reading it all: its choice
            context.log().debug("stdin of pid {} closed early: {}", process.pid(), e.getMessage());
        }
    }

    private static void drain(java.io.InputStream in, OutputCapture capture) {
        try (in) {
            capture.drain(in);
        } catch (IOException e) {
            // the pipe was closed: what was read is kept
        }
    }

    /** Waits for both output streams to reach end of file, up to stop-grace after the exit. */
    private boolean awaitOutput(CompletableFuture<Void> output) {
        try {
            output.get(settings.stopGrace().toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return output.isDone();
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        io.shutdownNow();
    }

    @Override
    public String toString() {
        return "command executor " + settings.argv();
    }
}
