package io.jobrunner.dashboard;

import io.jobrunner.client.AbandonedBulk;
import io.jobrunner.client.AbandonedFilter;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobOperations;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.util.List;

/**
 * The operators' actions the dashboard offers, each one call of {@link JobOperations} or {@link AbandonedBulk},
 * with a sentence saying what happened (or why nothing did) for the page or the API client.
 */
final class Actions {

    /** What an action did: {@code ok} false when nothing changed (the job was not in a state it applies to). */
    record Result(boolean ok, String message) {
    }

    private final JobRunnerClient client;

    Actions(JobRunnerClient client) {
        this.client = client;
    }

    /** {@code delete}, {@code run-now}, {@code retry} or {@code cancel} on one job, in whichever partition of the queue holds it. */
    Result onJob(QueueName logical, String id, String action) {
        JobOperations ops = client.operations();
        QueueName queue = ops.findInPartitions(logical, id).map(JobInfo::queue).orElse(logical);
        String job = "job " + id + " of " + queue;
        return switch (action) {
            case "delete" -> {
                String was = ops.delete(queue, List.of(id)).get(id);
                yield switch (was) {
                    case "claimed" -> new Result(false, job + " is running: cancel it first");
                    case "missing" -> new Result(false, job + " is not there (any more)");
                    default -> new Result(true, "deleted " + was + " " + job);
                };
            }
            case "run-now" -> ops.runNow(queue, id) ? new Result(true, job + " runs next")
                    : new Result(false, job + " is not delayed: nothing to run now");
            case "retry" -> ops.retry(queue, id) ? new Result(true, job + " is ready again")
                    : new Result(false, job + " is not abandoned: nothing to retry");
            case "cancel" -> ops.cancel(queue, id) ? new Result(true, "asked the runner holding " + job + " to cancel it")
                    : new Result(false, job + " is not running: nothing to cancel");
            default -> throw new IllegalArgumentException("unknown job action '" + action + "'; allowed: delete, run-now, retry, cancel");
        };
    }

    /** Pauses or resumes a queue ({@code domain/type}) or a type in every domain ({@code *}{@code /type}). */
    Result pause(String name, boolean pause) {
        JobOperations ops = client.operations();
        if (pause) {
            return new Result(true, ops.pause(name) ? "paused " + name + ": runners stop claiming from it" : name + " was already paused");
        }
        return new Result(true, ops.resume(name) ? "resumed " + name : name + " was not paused");
    }

    /** Retries or purges the abandoned jobs matching the filter, or counts them ({@code dryRun}). */
    Result bulk(AbandonedFilter filter, AbandonedBulk.Action action, boolean dryRun) {
        AbandonedBulk.Result r = client.abandonedBulk().run(filter, action, dryRun);
        String verb = action == AbandonedBulk.Action.RETRY ? "retried" : "deleted";
        if (dryRun) {
            return new Result(true, r.matched() + " abandoned job" + (r.matched() == 1 ? "" : "s") + " would be " + verb + " (dry run)");
        }
        return new Result(true, verb + " " + r.acted() + " abandoned job" + (r.acted() == 1 ? "" : "s"));
    }
}
