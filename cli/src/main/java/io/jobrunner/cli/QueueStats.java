package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.QueueSummary;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code showJobs.php --group} view of queue counts: one row per type with its domains beneath, and a
 * total; as a text table or as JSON. Queues with no job in any state are left out. The partitions of a queue add up
 * to its domain row ({@link QueueSummary#logical}), or are rows of their own ({@code domain#p}) when asked for.
 */
final class QueueStats {

    /**
     * Counts of one type or domain row.
     *
     * @param latencyMs age of the oldest ready job among the row's queues (-1: none ready)
     * @param paused    how many of the row's queues (or partitions, in the per-partition view) are paused
     */
    record Row(String name, long ready, long delayed, long claimed, long abandoned, long latencyMs, int paused) {

        Row(String name) {
            this(name, 0, 0, 0, 0, -1, 0);
        }

        Row plus(QueueSummary c) {
            return new Row(name, ready + c.ready(), delayed + c.delayed(), claimed + c.claimed(), abandoned + c.abandoned(),
                    Math.max(latencyMs, c.latencyMs()), paused + (c.paused() ? 1 : 0));
        }

        long total() {
            return ready + delayed + claimed + abandoned;
        }
    }

    /** A type with its per-domain rows. */
    record TypeStats(Row type, List<Row> domains) {
    }

    private final List<TypeStats> types;
    private final Row total;

    private QueueStats(List<TypeStats> types, Row total) {
        this.types = types;
        this.total = total;
    }

    static QueueStats of(Collection<QueueSummary> counts) {
        return of(counts, false);
    }

    static QueueStats of(Collection<QueueSummary> counts, boolean perPartition) {
        Map<String, Row> typeRows = new TreeMap<>();
        Map<String, Map<String, Row>> domainRows = new TreeMap<>();
        Row total = new Row("total");
        for (QueueSummary c : perPartition ? counts : QueueSummary.logical(counts)) {
            if (c.total() == 0 && !c.paused()) {
                continue;
            }
            String type = c.queue().type();
            typeRows.put(type, typeRows.getOrDefault(type, new Row(type)).plus(c));
            String domain = c.queue().partition() > 0 ? c.queue().domain() + "#" + c.queue().partition() : c.queue().domain();
            Map<String, Row> rows = domainRows.computeIfAbsent(type, t -> new TreeMap<>());
            rows.put(domain, rows.getOrDefault(domain, new Row(domain)).plus(c));
            total = total.plus(c);
        }
        List<TypeStats> types = new ArrayList<>();
        typeRows.forEach((type, row) -> types.add(new TypeStats(row, List.copyOf(domainRows.get(type).values()))));
        return new QueueStats(List.copyOf(types), total);
    }

    List<TypeStats> types() {
        return types;
    }

    Row total() {
        return total;
    }

    void printTable(PrintWriter out) {
        int width = "TYPE / domain".length();
        for (TypeStats t : types) {
            width = Math.max(width, t.type().name().length());
            for (Row d : t.domains()) {
                width = Math.max(width, d.name().length() + 2);
            }
        }
        String format = "%-" + width + "s %9s %9s %9s %9s %9s %s";
        out.println(String.format(format, "TYPE / domain", "READY", "DELAYED", "CLAIMED", "ABANDONED", "LATENCY", "").stripTrailing());
        for (TypeStats t : types) {
            printRow(out, format, t.type().name(), t.type());
            for (Row d : t.domains()) {
                printRow(out, format, "  " + d.name(), d);
            }
        }
        printRow(out, format, "TOTAL", total);
        if (types.isEmpty()) {
            out.println("(no jobs in any queue)");
        }
    }

    private static void printRow(PrintWriter out, String format, String name, Row r) {
        out.println(String.format(format, name, r.ready(), r.delayed(), r.claimed(), r.abandoned(),
                r.latencyMs() < 0 ? "-" : Ages.ago(r.latencyMs()), r.paused() > 0 ? "paused" : "").stripTrailing());
    }

    /** {@code {"types":[{"type","ready",...,"domains":[{"domain",...}]}], "total":{...}}}. */
    ObjectNode toJson() {
        ObjectNode root = JobCodec.mapper().createObjectNode();
        ArrayNode typeArray = root.putArray("types");
        for (TypeStats t : types) {
            ObjectNode type = counts(typeArray.addObject().put("type", t.type().name()), t.type());
            ArrayNode domains = type.putArray("domains");
            for (Row d : t.domains()) {
                counts(domains.addObject().put("domain", d.name()), d);
            }
        }
        counts(root.putObject("total"), total);
        return root;
    }

    private static ObjectNode counts(ObjectNode node, Row r) {
        return node.put("ready", r.ready()).put("delayed", r.delayed()).put("claimed", r.claimed()).put("abandoned", r.abandoned())
                .put("latencyMs", r.latencyMs()).put("pausedQueues", r.paused());
    }
}
