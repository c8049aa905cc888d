package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.ScheduleInfo;

import java.io.PrintWriter;
import java.util.List;

/** The schedules as a table ({@code schedule list}, and below the queues in {@code stats}). */
final class ScheduleTable {

    private static final String FORMAT = "%-24s %-18s %-16s %-28s %-6s %-8s %-24s %-24s%n";

    private ScheduleTable() {
    }

    /** [{name, cron, zone, queue, missed, source, paused, lastTick, nextTick, params}] */
    static ArrayNode json(List<ScheduleInfo> all) {
        ArrayNode out = JobCodec.mapper().createArrayNode();
        for (ScheduleInfo info : all) {
            Schedule s = info.schedule();
            ObjectNode o = out.addObject();
            o.put("name", s.name()).put("cron", s.cron().toString()).put("zone", s.zone().getId()).put("queue", s.queue().toString())
                    .put("missed", s.missed().configName()).put("source", info.stored().source()).put("paused", info.paused())
                    .put("lastTick", info.lastTick() == null ? null : info.lastTick().toString())
                    .put("nextTick", info.nextTick() == null ? null : info.nextTick().toString());
            o.set("params", s.params());
        }
        return out;
    }

    static void print(List<ScheduleInfo> all, PrintWriter out) {
        if (all.isEmpty()) {
            out.println("no schedules");
            return;
        }
        out.printf(FORMAT, "SCHEDULE", "CRON", "ZONE", "QUEUE", "MISSED", "STATE", "LAST TICK", "NEXT TICK");
        for (ScheduleInfo info : all) {
            Schedule s = info.schedule();
            out.printf(FORMAT, s.name(), s.cron(), s.zone().getId(), s.queue(), s.missed().configName(),
                    info.paused() ? "paused" : "active", ScheduleCommand.time(info.lastTick()), ScheduleCommand.time(info.nextTick()));
        }
    }
}
