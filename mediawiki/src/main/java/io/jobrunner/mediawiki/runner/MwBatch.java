package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.DispatchSettings;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.Placeholders;
import io.jobrunner.runner.executor.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one batch of one MediaWiki queue as a process: {@code runJobs.php} (or the legacy dispatcher through
 * {@code /bin/sh -c}), stdin closed, stdout streamed into {@link RunJobsResult}, the tail of stderr kept, and the
 * whole process tree stopped (SIGTERM, then SIGKILL after {@code stop-grace}) when it outlives its process timeout
 * or the runner stops.
 *
 * <p><b>Delivery contract.</b> A MediaWiki job is popped, run and acked by MediaWiki inside one batch. The runner
 * never acks, never deletes, and never moves a job. A job whose batch dies, is killed at its process timeout, or
 * whose host dies stays claimed; the chron recycles it claim-ttl after its claim while it has attempts left, else
 * abandons it. A job may run twice: its batch outlived claim-ttl, or it was killed after the work but before the
 * ack. It never runs zero times while Redis keeps its data. A job that fails and allows retries is retried only
 * after claim-ttl (MediaWiki semantics); a job that fails and does not allow retries is dropped by MediaWiki.
 */
final class MwBatch {

    private static final Logger log = LoggerFactory.getLogger(MwBatch.class);

    private final DispatchSettings dispatch;
    private final ExecutorService streams;

    MwBatch(DispatchSettings dispatch, ExecutorService streams) {
        this.dispatch = dispatch;
        this.streams = streams;
    }

    /** The command line of a batch: the argv with its placeholders filled, or {@code /bin/sh -c <template>}. */
    List<String> command(Placeholders values) {
        if (dispatch.kind() == DispatchSettings.Kind.SHELL) {
            return List.of("/bin/sh", "-c", values.fillLegacy(dispatch.shellTemplate()));
        }
        List<String> argv = new ArrayList<>(dispatch.argv().size());
        dispatch.argv().forEach(arg -> argv.add(values.fill(arg)));
        return argv;
    }

    /**
     * Runs the batch to its end, its timeout, or {@code stop} (the runner's shutdown deadline passed).
     *
     * @param onStart receives the process as soon as it runs (for {@code /status} and shutdown)
     */
    BatchRun run(MwQueue queue, Placeholders values, Duration timeout, RunJobsResult.JobListener listener,
                 java.util.function.Consumer<Process> onStart) throws InterruptedException {
        List<String> command = command(values);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        dispatch.env().forEach((name, value) -> builder.environment().put(name, values.fill(value)));
        if (!dispatch.workdir().isBlank()) {
            builder.directory(new File(values.fill(dispatch.workdir())));
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new BatchRun(command, 0, -1, RunJobsResult.unparsed("not started"), false, e.getMessage(), "", elapsed(start));
        }
        onStart.accept(process);
        BoundedTail stderr = new BoundedTail(dispatch.maxOutput());
        CompletableFuture<Void> errDone = CompletableFuture.runAsync(() -> {
            try {
                stderr.drain(process.getErrorStream());
            } catch (IOException e) {
                // the process ended or was killed: what was read is kept
            }
        }, streams);
        CompletableFuture<RunJobsResult> outDone = CompletableFuture.supplyAsync(() -> {
            try {
                return RunJobsResult.parse(new BufferedInputStream(process.getInputStream()), listener);
            } catch (IOException e) {
                return RunJobsResult.unparsed("reading the output failed: " + e.getMessage());
            }
        }, streams);
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                ProcessTree.kill(process, dispatch.stopGrace(), log);
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process, dispatch.stopGrace(), log);
            throw e;
        }
        RunJobsResult result = await(outDone, process);
        if (result == null) {
            result = RunJobsResult.unparsed("the output did not end");
        }
        await(errDone, process);
        int exit = timedOut ? -1 : process.exitValue();
        return new BatchRun(command, process.pid(), exit, result, timedOut, null, stderr.text(), elapsed(start));
    }

    /** Output readers end when the last holder of the pipes exits; a grandchild left holding them is not waited for long. */
    private <T> T await(CompletableFuture<T> future, Process process) throws InterruptedException {
        try {
            return future.get(dispatch.stopGrace().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            future.cancel(true);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
