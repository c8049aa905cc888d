package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueCounts;
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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code list TYPE}: the jobs of a type by state, in every domain that has a queue of it (or in the one
 * {@code --domain} names), with attempts, age, the state's time (release time, claim deadline, abandoned at)
 * and the last error; as a table (headed by the counts, so "no jobs" is said only when there are none) or JSON.
 */
@Command(name = "list", sortOptions = false,
        description = {"List the jobs of a type by state.",
                "The jobs of TYPE in every domain (or in --domain) with their state, attempts, age, state time and last error."})
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The job type.")
    String type;

    @Option(names = "--domain", paramLabel = "D", description = "Only this domain (default: every domain with a queue of TYPE).")
    String domain;

    @Option(names = "--state", paramLabel = "S",
            description = "Only this state: ${COMPLETION-CANDIDATES} (default: all).")
    JobState state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N jobs per state, over all domains listed (default: ${DEFAULT-VALUE}).")
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
        try {
            new QueueName(domain == null ? Job.DEFAULT_DOMAIN : domain, type);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<JobState> states = state == null ? List.of(JobState.values()) : List.of(state);
        try (JobRunnerClient client = common.connect(env)) {
            long now = serverTime(client); // the stored times are Redis's
            // every partition of the type's queues (a partitioned queue is listed as one)
            List<QueueName> queues = client.inspector().queues().stream()
                    .filter(q -> q.type().equals(type) && (domain == null || q.domain().equals(domain)))
                    .sorted(Comparator.comparing(QueueName::domain).thenComparing(QueueName::partition)).toList();
            if (queues.isEmpty() && domain != null) {
                queues = List.of(new QueueName(domain, type));
            }
            List<QueueCounts> counts = client.inspector().counts(queues);
            List<Long> expired = client.inspector().expiredCounts(queues);
            List<JobInfo> jobs = new ArrayList<>();
            for (JobState s : states) {
                long skip = offset; // over the domains in order, as if their jobs were one list
                for (int q = 0; q < counts.size(); q++) {
                    QueueCounts queue = counts.get(q);
                    long inState = count(queue, expired.get(q), s);
                    int left = limit - (int) jobs.stream().filter(j -> j.state() == s).count();
                    if (skip >= inState) {
                        skip -= inState;
                    } else if (left > 0) {
                        jobs.addAll(client.inspector().list(queue.queue(), s, (int) skip, left));
                        skip = 0;
                    }
                }
            }
            if (json) {
                env.out().println(toJson(jobs, now).toString());
            } else {
                printTable(counts, expired, jobs, now);
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

    private void printTable(List<QueueCounts> counts, List<Long> expired, List<JobInfo> jobs, long now) {
        PrintWriter out = env.out();
        String where = domain != null ? "in " + new QueueName(domain, type) : "of type " + type + " in "
                + java.util.stream.IntStream.range(0, counts.size()).filter(i -> counts.get(i).total() + expired.get(i) > 0).count() + " domain(s)";
        long total = java.util.stream.IntStream.range(0, counts.size()).mapToLong(i -> state == null
                ? counts.get(i).total() + expired.get(i) : count(counts.get(i), expired.get(i), state)).sum();
        String what = state == null ? "jobs" : state.label() + " jobs";
        if (total == 0 && jobs.isEmpty()) {
            out.println("no " + what + " " + (domain != null ? where : "of type " + type + " in any domain"));
            return;
        }
        out.println(total + " " + what + " " + where + "; showing " + jobs.size() + " (at most " + limit + " per state, --limit)");
        String format = "%-24s %-16s %-9s %8s %8s %-22s %s%n";
        out.printf(format, "ID", "DOMAIN", "STATE", "ATTEMPTS", "AGE", "SINCE", "LAST ERROR");
        for (JobInfo j : jobs) {
            String age = j.job() == null ? "?" : Ages.ago(now - j.job().enqueuedAt());
            String error = j.malformedReason() != null ? "MALFORMED: " + j.malformedReason() : j.lastError();
            out.printf(format, j.id(), j.queue().domain(), j.state().label(), j.attempts(), age, since(j, now), oneLine(error));
        }
    }

    private static long count(QueueCounts queue, long expired, JobState state) {
        return switch (state) {
            case EXPIRED -> expired;
            case READY -> queue.ready();
            case DELAYED -> queue.delayed();
            case CLAIMED -> queue.claimed();
            case ABANDONED -> queue.abandoned();
        };
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
