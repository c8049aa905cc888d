package io.jobrunner.cli;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.AbandonedBulk;
import io.jobrunner.client.AbandonedFilter;
import io.jobrunner.client.QueueName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code abandoned retry|purge}: acts on the abandoned jobs of every queue matching {@code --type} and
 * {@code --domain}, narrowed by {@code --error} and {@code --older-than} ({@link AbandonedBulk}), or on the given
 * {@code --id}s; {@code --dry-run} only counts; prints what it did per queue. See the jobs first with
 * {@code list TYPE --state abandoned}.
 */
@Command(name = "abandoned",
        description = {"Retry or purge abandoned jobs.",
                "Abandoned jobs ran out of attempts or failed permanently: retry puts them back to ready with "
                        + "attempts reset, purge deletes them. See them first with: list TYPE --state abandoned."},
        subcommands = {AbandonedCommand.Retry.class, AbandonedCommand.Purge.class})
public final class AbandonedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing action: retry or purge");
    }

    /** The options and the queue walk both actions share. */
    abstract static class Action implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--type", paramLabel = "T", description = "Only this job type (repeatable; default: all).")
        List<String> types = new ArrayList<>();

        @Option(names = "--domain", paramLabel = "D", description = "Only this domain (repeatable; default: all).")
        List<String> domains = new ArrayList<>();

        @Option(names = "--error", paramLabel = "TEXT", description = "Only jobs whose last error contains TEXT (any case).")
        String error;

        @Option(names = "--older-than", paramLabel = "DUR", converter = DurationConverter.class,
                description = "Only jobs abandoned longer ago than DUR, e.g. 1h or 2d.")
        Duration olderThan;

        @Option(names = "--dry-run", description = "Only count and show what would be done; change nothing.")
        boolean dryRun;

        final CliEnvironment env;

        Action(CliEnvironment env) {
            this.env = env;
        }

        abstract String verb();

        abstract AbandonedBulk.Action action();

        /** Acts on the given ids of one queue (retry --id); null when the action takes no ids. */
        Integer actOnIds(JobRunnerClient client) {
            return null;
        }

        void validate() {
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            validate();
            try (JobRunnerClient client = common.connect(env)) {
                Integer byIds = actOnIds(client);
                if (byIds != null) {
                    return byIds;
                }
                Long before = olderThan == null ? null : client.operations().serverTime() - olderThan.toMillis();
                long matched = 0;
                long total = 0;
                for (String domain : domains.isEmpty() ? java.util.Collections.<String>singletonList(null) : domains) {
                    for (String type : types.isEmpty() ? java.util.Collections.<String>singletonList(null) : types) {
                        AbandonedBulk.Result r = client.abandonedBulk().run(new AbandonedFilter(domain, type, error, before, null), action(), dryRun);
                        r.perQueue().forEach((q, n) -> env.out().println(q + ": " + (dryRun ? "would be " : "") + verb() + " " + n));
                        matched += r.matched();
                        total += r.acted();
                    }
                }
                if (dryRun) {
                    env.out().println("dry run: " + matched + " abandoned job" + (matched == 1 ? "" : "s") + " would be " + verb()
                            + "; nothing changed");
                } else {
                    env.out().println(verb() + " " + total + " abandoned job" + (total == 1 ? "" : "s")
                            + (total == 0 ? " (none matched)" : ""));
                }
            }
            return ExitCodes.OK;
        }

        /** The queues matching --type and --domain, by name. */
        List<QueueName> queues(JobRunnerClient client) {
            return client.inspector().queues().stream()
                    .filter(q -> types.isEmpty() || types.contains(q.type()))
                    .filter(q -> domains.isEmpty() || domains.contains(q.domain()))
                    .sorted((a, b) -> a.toString().compareTo(b.toString()))
                    .toList();
        }
    }

    @Command(name = "retry", sortOptions = false,
            description = "Move abandoned jobs back to ready with attempts reset (all that match, or the given --id).")
    static final class Retry extends Action {

        @Option(names = "--id", paramLabel = "ID", description = "Only this job id (repeatable; needs exactly one --type and at most one --domain).")
        List<String> ids = new ArrayList<>();

        Retry(CliEnvironment env) {
            super(env);
        }

        @Override
        void validate() {
            if (!ids.isEmpty() && (error != null || olderThan != null)) {
                throw new ParameterException(spec.commandLine(), "--id takes no --error or --older-than: the ids say which jobs");
            }
            if (!ids.isEmpty() && (types.size() != 1 || domains.size() > 1)) {
                throw new ParameterException(spec.commandLine(), "--id needs exactly one --type (and at most one --domain): ids are per queue");
            }
        }

        @Override
        String verb() {
            return "retried";
        }

        @Override
        AbandonedBulk.Action action() {
            return AbandonedBulk.Action.RETRY;
        }

        @Override
        Integer actOnIds(JobRunnerClient client) {
            if (ids.isEmpty()) {
                return null;
            }
            long total = 0;
            for (QueueName queue : queues(client)) {
                int n = dryRun ? 0 : client.maintenance().retryAbandoned(queue, ids);
                total += n;
                env.out().println(queue + ": retried " + n);
            }
            env.out().println((dryRun ? "dry run: nothing changed; " : "") + "retried " + total + " abandoned job" + (total == 1 ? "" : "s"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "purge", sortOptions = false, description = "Delete abandoned jobs for good.")
    static final class Purge extends Action {

        Purge(CliEnvironment env) {
            super(env);
        }

        @Override
        String verb() {
            return "purged";
        }

        @Override
        AbandonedBulk.Action action() {
            return AbandonedBulk.Action.PURGE;
        }
    }
}
