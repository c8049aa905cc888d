package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs jobs through a {@link JobHandler} (the {@code java} kind).
 * <ol>
 *   <li>runs each job on a thread of its own ({@code job-<type>-<id>}, a daemon), so the slot can give up
 *       on a handler that ignores cancellation;</li>
 *   <li>maps the handler's outcome: return = success, {@link RetryableJobException} = retry (with its
 *       delay), {@link PermanentJobException} = permanent failure, anything else = retryable failure
 *       named by the exception's class and message;</li>
 *   <li>on cancellation (timeout, shutdown, or the slot thread interrupted) interrupts the handler's thread
 *       and waits {@code stop-grace} for it; a run that was cancelled is always a retryable "timed out"
 *       failure, whatever the handler did after; a handler still running after the grace is left running
 *       (logged) and the slot goes on;</li>
 *   <li>on {@link #close()} closes the handler if it is {@link AutoCloseable} and the plugins class loader.</li>
 * </ol>
 */
final class JavaExecutor implements JobExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(JavaExecutor.class);

    private final JobHandler handler;
    private final URLClassLoader plugins;
    private final Duration stopGrace;

    JavaExecutor(JobHandler handler, URLClassLoader plugins, Duration stopGrace) {
        this.handler = handler;
        this.plugins = plugins;
        this.stopGrace = stopGrace;
    }

    /** The shared handler instance. */
    JobHandler handler() {
        return handler;
    }

    @Override
    public ExecutionResult execute(ExecutionContext context) {
        long start = System.nanoTime();
        if (context.cancelled()) {
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<ExecutionResult> done = new CompletableFuture<>();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        Job job = context.job();
        Thread worker = new Thread(() -> done.complete(run(context, stopping, start)),
                "job-" + job.type() + "-" + job.id());
        worker.setDaemon(true);
        worker.setContextClassLoader(handler.getClass().getClassLoader());
        worker.start();
        context.onCancel(() -> {
            stopping.set(true);
            worker.interrupt();
            cancelled.complete(null);
        });
        boolean slotInterrupted = false;
        try {
            CompletableFuture.anyOf(done, cancelled).get();
        } catch (InterruptedException e) {
            slotInterrupted = true;
            stopping.set(true);
            worker.interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: neither future completes exceptionally", e);
        }
        try {
            if (done.isDone()) {
                return done.join();
            }
            return awaitStop(context, worker, done, start);
        } finally {
            if (slotInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After cancellation: gives the interrupted handler {@code stop-grace} to return, else leaves it. */
    private ExecutionResult awaitStop(ExecutionContext context, Thread worker,
                                      CompletableFuture<ExecutionResult> done, long start) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return done.get(stopGrace.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the slot is asked to stop too: finish the grace, then report
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot happen: the handler's result never fails", e);
                } catch (TimeoutException e) {
                    context.log().warn("handler {} did not return within {} after its thread {} was interrupted;"
                                    + " leaving that thread running and releasing the job",
                            handler.getClass().getName(), Outcomes.format(stopGrace), worker.getName());
                    return ExecutionResult.retry(Outcomes.stopped(context, start) + "; the handler did not stop within "
                            + Outcomes.format(stopGrace) + " and was left running");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the job's own thread: calls the handler and maps its outcome. */
    private ExecutionResult run(ExecutionContext context, AtomicBoolean stopping, long start) {
        ExecutionResult result;
        try {
            handler.handle(context.job(), new HandlerContext(context));
            result = ExecutionResult.success();
        } catch (RetryableJobException e) {
            result = new ExecutionResult.Retry(message(e), e.retryAfter());
        } catch (PermanentJobException e) {
            result = ExecutionResult.permanentFailure(message(e));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError) {
                context.log().error("handler {} hit a fatal error", handler.getClass().getName(), e);
            } else if (!stopping.get()) {
                context.log().warn("handler {} failed", handler.getClass().getName(), e);
            }
            result = new ExecutionResult.Failure(Outcomes.describe(e), false);
        }
        if (stopping.get()) {
            // A cancelled run never counts as done: the handler may have returned early because it was asked to.
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        return result;
    }

    private static String message(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        return e.getCause() == null ? message : message + " (caused by " + Outcomes.describe(e.getCause()) + ")";
    }

    @Override
    public void close() {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing handler {} failed", handler.getClass().getName(), e);
            }
        }
        if (plugins != null) {
            try {
                plugins.close();
            } catch (IOException e) {
                LOG.warn("closing the plugins class loader {} failed", plugins.getName(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "java executor (" + handler.getClass().getName() + ")";
    }

    /** The {@link JobContext} a handler sees: a view of the run's {@link ExecutionContext}. */
    private record HandlerContext(ExecutionContext run) implements JobContext {

        @Override
        public int attempt() {
            return run.attempt();
        }

        @Override
        public Duration timeout() {
            return run.timeout();
        }

        @Override
        public boolean cancelled() {
            return run.cancelled();
        }

        @Override
        public void onCancel(Runnable action) {
            run.onCancel(action);
        }

        @Override
        public void heartbeat() {
            run.heartbeat();
        }

        @Override
        public Logger log() {
            return run.log();
        }
    }
}
