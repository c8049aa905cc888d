package io.jobrunner.cli;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code abandoned retry|purge}: acts on the abandoned jobs of every queue matching {@code --type} and
 * {@code --domain} ({@code QueueMaintenance.retryAbandoned} / {@code purgeAbandoned}); prints what it did
 * per queue. See the jobs first with {@code list TYPE --state abandoned}.
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

        final CliEnvironment env;

        Action(CliEnvironment env) {
            this.env = env;
        }

        abstract String verb();

        abstract int act(JobRunnerClient client, QueueName queue);

        void validate() {
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            validate();
            try (JobRunnerClient client = common.connect(env)) {
                List<QueueName> queues = client.inspector().queues().stream()
                        .filter(q -> types.isEmpty() || types.contains(q.type()))
                        .filter(q -> domains.isEmpty() || domains.contains(q.domain()))
                        .sorted((a, b) -> a.toString().compareTo(b.toString()))
                        .toList();
                long total = 0;
                for (QueueCounts c : client.inspector().counts(queues)) {
                    if (c.abandoned() == 0) {
                        continue;
                    }
                    int n = act(client, c.queue());
                    total += n;
                    env.out().println(c.queue() + ": " + verb() + " " + n);
                }
                env.out().println(verb() + " " + total + " abandoned job" + (total == 1 ? "" : "s")
                        + (total == 0 ? " (none matched)" : ""));
            }
            return ExitCodes.OK;
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
            if (!ids.isEmpty() && (types.size() != 1 || domains.size() > 1)) {
                throw new ParameterException(spec.commandLine(), "--id needs exactly one --type (and at most one --domain): ids are per queue");
            }
        }

        @Override
        String verb() {
            return "retried";
        }

        @Override
        int act(JobRunnerClient client, QueueName queue) {
            return client.maintenance().retryAbandoned(queue, ids);
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
        int act(JobRunnerClient client, QueueName queue) {
            return client.maintenance().purgeAbandoned(queue);
        }
    }
}
