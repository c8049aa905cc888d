package io.jobrunner.cli;

import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobOperations;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code job show|delete|run-now|retry|cancel ID}: one job, found by id ({@link JobOperations}); {@code --queue}
 * names its queue, else every known queue is searched. Exit 1 when the job is not there or not in a state the
 * action applies to, with the state it is in.
 */
@Command(name = "job", description = {"Show one job, or act on it: delete, run-now, retry, cancel.",
        "The job is found by id in every queue, or in --queue domain/type."},
        subcommands = {JobCommand.Show.class, JobCommand.Delete.class, JobCommand.RunNow.class, JobCommand.Retry.class,
                JobCommand.Cancel.class})
public final class JobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing action: show, delete, run-now, retry or cancel");
    }

    /** What every action shares: the id, the queue, finding the job. */
    abstract static class Action implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
        String id;

        @Option(names = "--queue", paramLabel = "D/T", description = "The job's queue, domain/type (default: search every queue).")
        String queue;

        final CliEnvironment env;

        Action(CliEnvironment env) {
            this.env = env;
        }

        /** Acts on the job found; returns the exit code. */
        abstract int act(JobOperations ops, JobInfo job, long now);

        @Override
        public Integer call() {
            Logging.forTool(env);
            QueueName q = null;
            if (queue != null) {
                try {
                    q = QueueName.parse(queue);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--queue: " + e.getMessage());
                }
            }
            try (JobRunnerClient client = common.connect(env)) {
                JobOperations ops = client.operations();
                Optional<JobInfo> job = q == null ? ops.find(id) : ops.find(q, id);
                if (job.isEmpty()) {
                    env.err().println("error: no job " + id + (q == null ? " in any queue" : " in " + q));
                    return ExitCodes.FAILURE;
                }
                return act(ops, job.get(), client.clock().millis());
            }
        }

        int refused(JobInfo job, String needs) {
            env.err().println("error: job " + job.id() + " in " + job.queue() + " is " + job.state().label() + "; " + needs);
            return ExitCodes.FAILURE;
        }

        int done(String what) {
            env.out().println(what);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Everything about one job: queue, state, attempts, last error, params, times.")
    static final class Show extends Action {

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        Show(CliEnvironment env) {
            super(env);
        }

        @Override
        int act(JobOperations ops, JobInfo job, long now) {
            if (json) {
                return done(job.toJson(now).toString());
            }
            PrintWriter out = env.out();
            out.println("id:          " + job.id());
            out.println("queue:       " + job.queue());
            out.println("state:       " + job.state().label());
            out.println("attempts:    " + job.attempts());
            if (job.job() != null) {
                out.println("enqueued:    " + Instant.ofEpochMilli(job.job().enqueuedAt()) + " (" + Ages.ago(now - job.job().enqueuedAt()) + " ago)");
                if (job.job().releaseAt() != null) {
                    out.println("release at:  " + Instant.ofEpochMilli(job.job().releaseAt()));
                }
            }
            if (job.stateSince() != null) {
                String label = switch (job.state()) {
                    case DELAYED -> "runs at:     ";
                    case CLAIMED -> "deadline:    ";
                    default -> "abandoned:   ";
                };
                out.println(label + Instant.ofEpochMilli(job.stateSince()));
            }
            out.println("last error:  " + (job.lastError() == null ? "" : job.lastError()));
            out.println("params:      " + (job.job() != null ? job.job().params() : "MALFORMED: " + job.malformedReason()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a waiting (ready or delayed) or abandoned job for good.")
    static final class Delete extends Action {

        Delete(CliEnvironment env) {
            super(env);
        }

        @Override
        int act(JobOperations ops, JobInfo job, long now) {
            Map<String, String> r = ops.delete(job.queue(), List.of(job.id()));
            String was = r.get(job.id());
            if (was.equals("claimed")) {
                return refused(job, "a runner holds it: cancel it first (job cancel " + job.id() + ")");
            }
            if (was.equals("missing")) {
                return refused(job, "it left meanwhile");
            }
            return done("deleted " + was + " job " + job.id() + " from " + job.queue());
        }
    }

    @Command(name = "run-now", description = "Run a delayed (or backing-off) job now: it goes to the front of its queue.")
    static final class RunNow extends Action {

        RunNow(CliEnvironment env) {
            super(env);
        }

        @Override
        int act(JobOperations ops, JobInfo job, long now) {
            return ops.runNow(job.queue(), job.id()) ? done("job " + job.id() + " of " + job.queue() + " runs next")
                    : refused(job, "only a delayed job can be run now");
        }
    }

    @Command(name = "retry", description = "Retry an abandoned job: back to ready with its attempts reset.")
    static final class Retry extends Action {

        Retry(CliEnvironment env) {
            super(env);
        }

        @Override
        int act(JobOperations ops, JobInfo job, long now) {
            return ops.retry(job.queue(), job.id()) ? done("job " + job.id() + " of " + job.queue() + " is ready again")
                    : refused(job, "only an abandoned job can be retried");
        }
    }

    @Command(name = "cancel", description = {"Cancel a running job: the runner holding it stops the run (like a timeout)",
            "and the job is abandoned with the error \"cancelled by operator\"."})
    static final class Cancel extends Action {

        Cancel(CliEnvironment env) {
            super(env);
        }

        @Override
        int act(JobOperations ops, JobInfo job, long now) {
            if (job.state() != JobState.CLAIMED || !ops.cancel(job.queue(), job.id())) {
                return refused(job, "only a running (claimed) job can be cancelled; delete a waiting one instead");
            }
            return done("asked the runner holding job " + job.id() + " of " + job.queue() + " to cancel it");
        }
    }
}
