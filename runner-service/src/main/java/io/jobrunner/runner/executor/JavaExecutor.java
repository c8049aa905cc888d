package io.jobrunner.runner.executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLClassLoader;
import java.time.Duration;

/**
 * Runs jobs through a {@link JobHandler} (the {@code java} kind).
 * <ol>
 *   <li>calls the handler on the calling (slot) thread, with the handler's class loader as the thread's context
 *       class loader: no hand-off between threads per job, which on a small machine costs more than a short job
 *       itself (the bench measured about half the drain rate with a pool of handler threads);</li>
 *   <li>maps the handler's outcome: return = success, {@link RetryableJobException} = retry (with its
 *       delay), {@link PermanentJobException} = permanent failure, anything else = retryable failure
 *       named by the exception's class and message;</li>
 *   <li>on cancellation (timeout, shutdown, claim lost) interrupts the handler; a run that was cancelled is always
 *       a retryable "timed out" failure, whatever the handler did after. An interrupt meant for a run never
 *       reaches what the thread does next;</li>
 *   <li>a handler that ignores the interrupt holds its thread until it returns: {@link #stopGrace()} after the
 *       cancellation the runner gives the job back as a retry and replaces the slot (see {@code SlotGroup}),
 *       leaving the thread to finish on its own;</li>
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
    public Duration stopGrace() {
        return stopGrace;
    }

    @Override
    public ExecutionResult execute(ExecutionContext context) {
        long start = System.nanoTime();
        if (context.cancelled()) {
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        RunThread runThread = new RunThread(thread);
        thread.setContextClassLoader(handler.getClass().getClassLoader());
        try {
            context.onCancel(runThread::interrupt);
            return run(context, start);
        } finally {
            runThread.leave();
            thread.setContextClassLoader(callerLoader);
        }
    }

    /** On the job's own thread: calls the handler and maps its outcome. */
    private ExecutionResult run(ExecutionContext context, long start) {
        ExecutionResult result;
        try {
            handler.handle(context.job(), context); // the run seen as a JobContext
            result = ExecutionResult.success();
        } catch (RetryableJobException e) {
            result = new ExecutionResult.Retry(message(e), e.retryAfter());
        } catch (PermanentJobException e) {
            result = ExecutionResult.permanentFailure(message(e));
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError) {
                context.log().error("handler {} hit a fatal error", handler.getClass().getName(), e);
            } else if (!context.cancelled()) {
                context.log().warn("handler {} failed", handler.getClass().getName(), e);
            }
            result = new ExecutionResult.Failure(Outcomes.describe(e), false);
        }
        if (context.cancelled()) {
            // A cancelled run never counts as done: the handler may have returned early because it was asked to.
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        return result;
    }

    private static String message(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        return e.getCause() == null ? message : message + " (caused by " + Outcomes.describe(e.getCause()) + ")";
    }

    /**
     * The thread one run is on, while it is on it: a cancellation interrupts it only until the run leaves, and the
     * interrupt flag is cleared when it leaves, so it never reaches what the thread does next.
     */
    private static final class RunThread {
        private Thread thread;

        RunThread(Thread thread) {
            this.thread = thread;
        }

        synchronized void interrupt() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        void leave() {
            synchronized (this) {
                thread = null;
            }
            Thread.interrupted();
        }
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
}
