package io.jobrunner.git;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.metrics.MetricName;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the git jobs of one kind ({@code git-clone}, {@code git-sync} or {@code git-remove}) for the job types
 * configured with it. Thread-safe: one instance serves every slot.
 * <ol>
 *   <li>checks the params (URL policy, name, ref) and the working copy's place in the root before touching
 *       anything: a bad value is a permanent failure;</li>
 *   <li>takes the repository's lock in Redis ({@link RepositoryLock}): contention is a retry; while held, the
 *       leftovers of a crashed run on that name are deleted first;</li>
 *   <li>runs the {@link GitOperation} with a progress monitor that stops it on cancellation, timeout or a lost
 *       lock; times it in {@code git.<verb>};</li>
 *   <li>maps every error ({@link GitErrors}) and redacts every message and log line ({@link Redactor});</li>
 *   <li>records what it did in the shared {@link GitRepositoryStatus}.</li>
 * </ol>
 */
public final class GitExecutor implements JobExecutor {

    /** The histogram of operation times, labelled {@code operation} (clone, sync, remove). */
    public static final String OPERATION_SECONDS = "jobrunner_git_operation_seconds";

    /** Hooks for tests: called while the repository lock is held, and when a run starts waiting for it. */
    interface Events extends RepositoryLock.WaitListener {
        Events NONE = new Events() {
        };

        default void entered(String name) {
        }

        default void exited(String name) {
        }

        @Override
        default void waiting(String name) {
        }
    }

    private final GitOperation operation;
    private final GitSettings settings;
    private final JobRunnerClient client;
    private final GitRepositoryStatus status;
    private final Events events;
    private final WorkingCopies copies;
    private final UrlPolicy policy;
    private final Redactor redactor;
    private final Timer timer;
    private final ScheduledExecutorService renewer;

    GitExecutor(GitOperation operation, GitSettings settings, JobRunnerClient client, MetricRegistry metrics,
                GitRepositoryStatus status, Events events) {
        this.operation = operation;
        this.settings = settings;
        this.client = client;
        this.status = status;
        this.events = events;
        this.copies = new WorkingCopies(settings.root());
        this.policy = new UrlPolicy(settings);
        this.redactor = settings.redactor();
        this.timer = BucketedTimer.in(metrics, MetricName.of(OPERATION_SECONDS, "operation", operation.verb()));
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "git-" + operation.verb() + "-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The state of the working copies under this executor's root, for the runner's status page. */
    public GitRepositoryStatus repositoryStatus() {
        return status;
    }

    /** The directory of the working copies. */
    public Path root() {
        return settings.root();
    }

    @Override
    public ExecutionResult execute(ExecutionContext context) {
        Logger log = context.log();
        try {
            GitJobParams params = GitJobParams.parse(context.job().params(), operation.urlRequired(), policy);
            Path dir = copies.resolve(params.name());
            if (context.cancelled()) {
                throw GitJobException.retry("cancelled (timeout or shutdown) before the " + operation.verb() + " started", null);
            }
            try (RepositoryLock lock = RepositoryLock.acquire(client, renewer, params.name(), settings.lockTtl(),
                    settings.lockWait(), context::cancelled, events, log)) {
                return runLocked(context, params, dir, lock);
            }
        } catch (GitJobException e) {
            ExecutionResult result = e.toResult(redactor);
            log.warn("git {}: {}", operation.verb(), result.message());
            return result;
        } catch (RuntimeException e) {
            ExecutionResult result = GitErrors.classify(e, "git " + operation.verb(), null).toResult(redactor);
            log.warn("git {}: {}", operation.verb(), result.message());
            return result;
        }
    }

    private ExecutionResult runLocked(ExecutionContext context, GitJobParams params, Path dir, RepositoryLock lock) throws GitJobException {
        events.entered(params.name());
        long start = System.nanoTime();
        JobProgressMonitor monitor = new JobProgressMonitor(context, lock, start);
        GitRun run = new GitRun(context, params, dir, settings, copies, policy, monitor, redactor, status, client.clock());
        String what = "git " + operation.verb() + " of '" + params.name() + "'" + (params.url() == null ? "" : " (" + params.url() + ")");
        try {
            int leftovers = copies.removeLeftovers(params.name());
            if (leftovers > 0) {
                run.info("deleted " + leftovers + " leftover temporary director" + (leftovers == 1 ? "y" : "ies") + " of '" + params.name() + "'");
            }
            ExecutionResult result = operation.run(run);
            run.info(result.message());
            return new ExecutionResult.Success(redactor.redact(result.message()));
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw GitErrors.classify(e, what, monitor);
        } finally {
            timer.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            events.exited(params.name());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
