package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link JobHandler}s for the java executor's tests, loaded by name as users' handlers are. */
public final class TestHandlers {

    private TestHandlers() {
    }

    public static class RecordingHandler implements JobHandler {
        final Map<String, String> seen = new ConcurrentHashMap<>();
        final Map<String, String> threads = new ConcurrentHashMap<>();

        @Override
        public void handle(Job job, JobContext context) {
            seen.put(job.id(), job.type() + "/" + job.domain() + "/" + job.params().path("width").asInt()
                    + " attempt " + context.attempt() + " timeout " + context.timeout());
            threads.put(job.id(), Thread.currentThread().getName());
            context.heartbeat();
            context.log().info("handled {}", job.id());
        }
    }

    public static class RateLimitedHandler implements JobHandler {
        @Override
        public void handle(Job job, JobContext context) throws Exception {
            throw new RetryableJobException("rate limited", Duration.ofSeconds(30));
        }
    }

    public static class BadParamsHandler implements JobHandler {
        @Override
        public void handle(Job job, JobContext context) throws Exception {
            throw new PermanentJobException("width must be even", new IllegalArgumentException("120"));
        }
    }

    public static class BrokenHandler implements JobHandler {
        @Override
        public void handle(Job job, JobContext context) {
            throw new IllegalStateException("boom", new IOException("disk full"));
        }
    }

    public static class BlockingHandler implements JobHandler {
        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean interrupted;
        volatile boolean hookRan;

        @Override
        public void handle(Job job, JobContext context) throws Exception {
            context.onCancel(() -> hookRan = true);
            started.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
        }
    }

    public static class CooperativeHandler implements JobHandler {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void handle(Job job, JobContext context) {
            CountDownLatch cancelled = new CountDownLatch(1);
            context.onCancel(cancelled::countDown);
            started.countDown();
            try {
                cancelled.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // returns normally, as a handler that "gives up quietly" would
        }
    }

    public static class StubbornHandler implements JobHandler {
        static CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupts = new AtomicBoolean();
        final CountDownLatch returned = new CountDownLatch(1);
        volatile Thread thread;

        public StubbornHandler() {
            release = new CountDownLatch(1);
        }

        @Override
        public void handle(Job job, JobContext context) {
            thread = Thread.currentThread();
            started.countDown();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    try {
                        if (release.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        interrupts.set(true); // and carries on regardless
                    }
                }
            } finally {
                returned.countDown();
            }
        }
    }

    /** Waits to be interrupted on its first run; records, for every run, its thread and whether it began interrupted. */
    public static class InterruptProbe implements JobHandler {
        final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.List<Boolean> beganInterrupted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);

        @Override
        public void handle(Job job, JobContext context) throws InterruptedException {
            threads.add(Thread.currentThread());
            beganInterrupted.add(Thread.currentThread().isInterrupted());
            if (threads.size() == 1) {
                firstStarted.countDown();
                Thread.sleep(60_000); // until cancelled
            }
        }
    }

    /** Records the thread and context class loader each run saw. */
    public static class ThreadProbe implements JobHandler {
        final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.List<ClassLoader> loaders = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void handle(Job job, JobContext context) {
            threads.add(Thread.currentThread());
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
    }

    public static class ClosingHandler implements JobHandler, AutoCloseable {
        volatile boolean closed;

        @Override
        public void handle(Job job, JobContext context) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    public static class NotAHandler {
    }

    public static class NeedsArguments implements JobHandler {
        public NeedsArguments(String name) {
        }

        @Override
        public void handle(Job job, JobContext context) {
        }
    }

    public abstract static class AbstractHandler implements JobHandler {
    }

    static class HiddenHandler implements JobHandler {
        @Override
        public void handle(Job job, JobContext context) {
        }
    }

    public static class FailingConstructor implements JobHandler {
        public FailingConstructor() {
            throw new IllegalStateException("no license");
        }

        @Override
        public void handle(Job job, JobContext context) {
        }
    }
}
