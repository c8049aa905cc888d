package io.jobrunner.dashboard;

import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobPage;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.ProcessRecord;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueSummary;
import io.jobrunner.client.ThroughputHistory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each page shows, read from Redis and put in words (ages, times) for the templates. Every value is plain
 * data: the templates escape it. Queues are logical ({@link LogicalQueues}): a partitioned queue is one row, its
 * jobs are listed over all its partitions, and its partitions are shown on request.
 */
final class Models {

    static final int PAGE_SIZE = 25;
    static final int ABANDONED_SHOWN = 100;

    /**
     * A queue row: a logical queue ({@code partition} -1, its partitions added up) or one partition of it.
     *
     * @param partitionCount how many partitions the logical queue has (1 when unpartitioned)
     * @param partitions     the partitions' rows, when the per-partition view was asked for and it has partitions
     */
    record QueueRow(String name, String domain, String type, int partition, long ready, long delayed, long claimed, long abandoned,
                    String latency, boolean paused, boolean typePaused, boolean partitioned, int partitionCount,
                    List<QueueRow> partitions) {
    }

    /** A job row of a table, or the job page; {@code queue} is the partition that holds it ({@code domain/type#p}). */
    record JobRow(String id, String domain, String type, String queue, int partition, String state, int attempts, String age,
                  String since, String lastError, String params, String enqueuedAt) {
    }

    /** A job being run, on the runners page. */
    record RunningRow(String domain, String type, String queue, String id, int attempt, String elapsed, String slot) {
    }

    /** A runner or chron. */
    record ProcessRow(String id, String host, String version, long pid, String started, int busy, int slots,
                      List<ProcessRecord.Group> groups, List<RunningRow> current, boolean leader) {
    }

    private final JobRunnerClient client;
    private final LogicalQueues queues;

    Models(JobRunnerClient client, LogicalQueues queues) {
        this.client = client;
        this.queues = queues;
    }

    /** The overview: a row per logical queue, with its partitions' rows beneath when {@code withPartitions}. */
    Map<String, Object> overview(boolean withPartitions) {
        Map<String, Object> m = new LinkedHashMap<>();
        long ready = 0;
        long delayed = 0;
        long claimed = 0;
        long abandoned = 0;
        List<QueueRow> rows = new ArrayList<>();
        Set<String> paused = client.operations().paused().keySet();
        boolean anyPartitioned = false;
        for (LogicalQueues.Logical q : queues.all()) {
            QueueSummary s = q.sum();
            ready += s.ready();
            delayed += s.delayed();
            claimed += s.claimed();
            abandoned += s.abandoned();
            rows.add(logicalRow(q, paused, withPartitions));
            anyPartitioned |= q.partitioned();
        }
        m.put("showPartitions", withPartitions);
        m.put("anyPartitioned", anyPartitioned);
        ThroughputHistory.Series h = client.history().read(client.history().types(), 2);
        m.put("ready", ready);
        m.put("delayed", delayed);
        m.put("claimed", claimed);
        m.put("abandoned", abandoned);
        m.put("processed", h.totalProcessed());
        m.put("failed", h.totalFailed());
        m.put("lastMinute", h.processed()[0]);
        m.put("queues", rows);
        List<ProcessRow> runners = runnerRows();
        List<ProcessRow> chrons = chronRows();
        m.put("runners", runners);
        m.put("chrons", chrons);
        m.put("busy", runners.stream().mapToInt(ProcessRow::busy).sum());
        m.put("slots", runners.stream().mapToInt(ProcessRow::slots).sum());
        List<String> warnings = new ArrayList<>();
        if (runners.isEmpty()) {
            warnings.add("No runner is alive: no job will run.");
        }
        if (chrons.stream().noneMatch(ProcessRow::leader)) {
            warnings.add("No chron leads: delayed jobs are not promoted and the claims of dead runners are not recycled.");
        }
        m.put("warnings", warnings);
        return m;
    }

    /**
     * A queue's page: its counts and a page of its jobs in one state, over all its partitions, or in one
     * ({@code partition} >= 0); with its partitions' rows when {@code withPartitions} or a partition is chosen.
     */
    Map<String, Object> queue(QueueName queue, JobState state, int offset, int partition, boolean withPartitions) {
        LogicalQueues.Logical logical = queues.one(queue);
        Set<String> paused = client.operations().paused().keySet();
        QueueRow row = logicalRow(logical, paused, withPartitions || partition >= 0);
        QueueRow scope = row;
        JobPage page;
        if (partition < 0) {
            page = client.operations().pageOfPartitions(queue, state, offset, PAGE_SIZE);
        } else {
            QueueName one = queue.inPartition(partition);
            scope = partitionRow(logical.partitions().stream().filter(p -> p.queue().equals(one)).findFirst()
                    .orElse(new QueueSummary(one, 0, 0, 0, 0, -1, logical.sum().paused())), paused);
            page = client.operations().page(one, state, offset, PAGE_SIZE);
        }
        long now = client.operations().serverTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", row);
        m.put("scope", scope);
        m.put("partition", partition);
        m.put("showPartitions", withPartitions);
        // what the tabs and the pager keep of the query: the partition chosen, the per-partition view
        m.put("scopeQuery", (partition >= 0 ? "&partition=" + partition : "") + (withPartitions ? "&partitions=1" : ""));
        m.put("state", state.label());
        m.put("states", List.of("ready", "delayed", "claimed", "abandoned"));
        m.put("jobs", page.jobs().stream().map(j -> row(j, now)).toList());
        m.put("total", page.total());
        m.put("offset", offset);
        m.put("from", page.jobs().isEmpty() ? 0 : offset + 1);
        m.put("to", offset + page.jobs().size());
        m.put("previous", offset > 0 ? Math.max(0, offset - PAGE_SIZE) : -1);
        m.put("next", offset + PAGE_SIZE < page.total() ? offset + PAGE_SIZE : -1);
        return m;
    }

    /** The job page's model, or empty when no partition of the queue holds the job (any more). */
    Optional<Map<String, Object>> job(QueueName queue, String id) {
        Optional<JobInfo> info = client.operations().findInPartitions(queue, id);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        long now = client.operations().serverTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", row(info.get(), now));
        m.put("json", info.get().toJson(now).toPrettyString());
        return Optional.of(m);
    }

    /** The queue holding job {@code id}, searched in every known queue. */
    Optional<QueueName> locate(String id) {
        return client.operations().find(id).map(JobInfo::queue);
    }

    /** Abandoned jobs across the matching queues, newest first, with the filter. */
    Map<String, Object> abandoned(String domain, String type, String error) {
        long now = client.operations().serverTime();
        List<JobInfo> found = new ArrayList<>();
        long total = 0;
        for (QueueSummary s : client.overview().all()) {
            QueueName q = s.queue();
            if (s.abandoned() == 0 || (domain != null && !domain.equals(q.domain())) || (type != null && !type.equals(q.type()))) {
                continue;
            }
            total += s.abandoned();
            for (JobInfo j : client.inspector().list(q, JobState.ABANDONED, 0, ABANDONED_SHOWN)) {
                if (error == null || (j.lastError() != null && j.lastError().toLowerCase(java.util.Locale.ROOT)
                        .contains(error.toLowerCase(java.util.Locale.ROOT)))) {
                    found.add(j);
                }
            }
        }
        found.sort(Comparator.comparing((JobInfo j) -> j.stateSince() == null ? 0L : j.stateSince()).reversed());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", found.stream().limit(ABANDONED_SHOWN).map(j -> row(j, now)).toList());
        m.put("shown", Math.min(found.size(), ABANDONED_SHOWN));
        m.put("total", total);
        m.put("domain", domain == null ? "" : domain);
        m.put("type", type == null ? "" : type);
        m.put("error", error == null ? "" : error);
        return m;
    }

    Map<String, Object> runners() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runners", runnerRows());
        m.put("chrons", chronRows());
        return m;
    }

    private List<ProcessRow> runnerRows() {
        return client.presence().runners().stream().map(r -> process(r, false)).toList();
    }

    private List<ProcessRow> chronRows() {
        return client.presence().chrons().stream().map(c -> process(c, Boolean.TRUE.equals(c.leader()))).toList();
    }

    private static ProcessRow process(ProcessRecord r, boolean leader) {
        List<RunningRow> current = new ArrayList<>();
        if (r.current() != null) {
            for (ProcessRecord.Running j : r.current()) {
                QueueName q = QueueName.parse(j.queue());
                current.add(new RunningRow(q.domain(), q.type(), j.queue(), j.id(), j.attempt(), Formats.duration(j.elapsedMs()), j.slot()));
            }
        }
        return new ProcessRow(r.id(), r.host(), r.version(), r.pid(), r.startedAt() == 0 ? "" : Formats.time(r.startedAt()),
                r.busy(), r.slots(), r.groups() == null ? List.of() : r.groups(), current, leader);
    }

    private static QueueRow logicalRow(LogicalQueues.Logical q, Set<String> paused, boolean withPartitions) {
        QueueSummary s = q.sum();
        List<QueueRow> partitions = withPartitions && q.partitioned()
                ? q.partitions().stream().map(p -> partitionRow(p, paused)).toList() : List.of();
        return new QueueRow(s.queue().toString(), s.queue().domain(), s.queue().type(), -1, s.ready(), s.delayed(), s.claimed(),
                s.abandoned(), latency(s), s.paused(), paused.contains("*/" + s.queue().type()), q.partitioned(),
                q.partitions().size(), partitions);
    }

    private static QueueRow partitionRow(QueueSummary s, Set<String> paused) {
        return new QueueRow(s.queue().toString(), s.queue().domain(), s.queue().type(), s.queue().partition(), s.ready(), s.delayed(),
                s.claimed(), s.abandoned(), latency(s), s.paused(), paused.contains("*/" + s.queue().type()), false, 1, List.of());
    }

    private static String latency(QueueSummary s) {
        return s.latencyMs() < 0 ? "-" : Formats.duration(s.latencyMs());
    }

    private static JobRow row(JobInfo j, long now) {
        String since = "";
        if (j.stateSince() != null) {
            long at = j.stateSince();
            since = switch (j.state()) {
                case DELAYED -> at > now ? "runs " + Formats.relative(at, now) : "due " + Formats.relative(at, now);
                case CLAIMED -> "deadline " + Formats.relative(at, now);
                default -> "abandoned " + Formats.relative(at, now);
            };
        }
        String params;
        try {
            params = j.job() == null ? "MALFORMED: " + j.malformedReason()
                    : JobCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(j.job().params());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            params = "(unreadable params: " + e.getOriginalMessage() + ")";
        }
        return new JobRow(j.id(), j.queue().domain(), j.queue().type(), j.queue().toString(), j.queue().partition(),
                j.state().label(), j.attempts(),
                j.job() == null ? "?" : Formats.duration(now - j.job().enqueuedAt()), since,
                j.lastError() == null ? "" : j.lastError(), params, j.job() == null ? "" : Formats.time(j.job().enqueuedAt()));
    }
}
