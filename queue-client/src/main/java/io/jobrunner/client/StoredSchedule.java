package io.jobrunner.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A schedule as stored in {@code jr:schedules} (name to this JSON), with where it came from and since when the
 * definition holds: ticks at or before {@code since} never fire (a new or changed schedule does not catch up on
 * its past).
 *
 * @param schedule the definition
 * @param source   {@code config} (written by a chron from {@code jobrunner.schedules}) or {@code api} (client, CLI)
 * @param since    epoch ms when this definition was written
 */
public record StoredSchedule(Schedule schedule, String source, long since) {

    public static final String CONFIG = "config";
    public static final String API = "api";

    String encode() {
        ObjectNode json = JobCodec.mapper().createObjectNode();
        json.put("cron", schedule.cron().toString());
        json.put("zone", schedule.zone().getId());
        json.put("type", schedule.type());
        json.put("domain", schedule.domain());
        json.set("params", schedule.params());
        json.put("missed", schedule.missed().configName());
        json.put("source", source);
        json.put("since", since);
        return json.toString();
    }

    /** Reads one entry; throws {@link InvalidScheduleException} naming what is wrong with it. */
    static StoredSchedule decode(String name, String text) {
        JsonNode json;
        try {
            json = JobCodec.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidScheduleException("definition", name, "JSON written by jobrunner (" + e.getOriginalMessage() + ")");
        }
        Schedule schedule = new Schedule(name, CronExpression.parse(json.path("cron").asText(null)),
                Schedule.zone(json.path("zone").asText("UTC")), json.path("type").asText(null),
                json.path("domain").asText(Job.DEFAULT_DOMAIN),
                json.path("params") instanceof ObjectNode params ? params : JobCodec.mapper().createObjectNode(),
                MissedTicks.parse(json.path("missed").asText("skip")));
        return new StoredSchedule(schedule, json.path("source").asText(API), json.path("since").asLong(0));
    }
}
