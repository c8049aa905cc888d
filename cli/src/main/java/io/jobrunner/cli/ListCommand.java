package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code list TYPE}: the jobs of one queue by state, with attempts, age, the state's time (release time,
 * claim deadline, abandoned at) and the last error; as a table or JSON.
 */
@Command(name = "list", sortOptions = false,
        description = {"List the jobs of a queue by state.",
                "The jobs of TYPE in one domain with their state, attempts, age, state time and last error."})
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The job type.")
    String type;

    @Option(names = "--domain", paramLabel = "D", defaultValue = Job.DEFAULT_DOMAIN, description = "The domain (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--state", paramLabel = "S",
            description = "Only this state: ${COMPLETION-CANDIDATES} (default: all).")
    JobState state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N jobs per state (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N jobs of each state (paging; default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--json", description = "Print a JSON array of jobs (with their full JSON) for scripts.")
    boolean json;

    private final CliEnvironment env;

    ListCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Logging.forTool(env);
        if (limit < 1 || limit > 100_000) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 to 100000, was " + limit);
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be 0 or more, was " + offset);
        }
        QueueName queue;
        try {
            queue = new QueueName(domain, type);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<JobState> states = state == null ? List.of(JobState.values()) : List.of(state);
        try (JobRunnerClient client = common.connect(env)) {
            long now = serverTime(client); // the stored times are Redis's
            List<JobInfo> jobs = new ArrayList<>();
            for (JobState s : states) {
                jobs.addAll(client.inspector().list(queue, s, offset, limit));
            }
            if (json) {
                env.out().println(toJson(jobs, now).toString());
            } else {
                printTable(queue, jobs, now);
            }
        }
        return ExitCodes.OK;
    }

    private static long serverTime(JobRunnerClient client) {
        try {
            return client.registry().serverTime().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void printTable(QueueName queue, List<JobInfo> jobs, long now) {
        PrintWriter out = env.out();
        if (jobs.isEmpty()) {
            out.println("no " + (state == null ? "" : state.label() + " ") + "jobs in " + queue);
            return;
        }
        String format = "%-24s %-9s %8s %8s %-22s %s%n";
        out.printf(format, "ID", "STATE", "ATTEMPTS", "AGE", "SINCE", "LAST ERROR");
        for (JobInfo j : jobs) {
            String age = j.job() == null ? "?" : Ages.ago(now - j.job().enqueuedAt());
            String error = j.malformedReason() != null ? "MALFORMED: " + j.malformedReason() : j.lastError();
            out.printf(format, j.id(), j.state().label(), j.attempts(), age, since(j, now), oneLine(error));
        }
    }

    private static String since(JobInfo j, long now) {
        if (j.stateSince() == null) {
            return "";
        }
        long at = j.stateSince();
        return switch (j.state()) {
            case DELAYED -> at > now ? "runs in " + Ages.ago(at - now) : "due " + Ages.ago(now - at) + " ago";
            case CLAIMED -> at > now ? "deadline in " + Ages.ago(at - now) : "expired " + Ages.ago(now - at) + " ago";
            case ABANDONED, EXPIRED -> Ages.ago(now - at) + " ago";
            default -> "";
        };
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }

    private static ArrayNode toJson(List<JobInfo> jobs, long now) {
        ArrayNode array = JobCodec.mapper().createArrayNode();
        for (JobInfo j : jobs) {
            array.add(j.toJson(now));
        }
        return array;
    }
}
