package io.jobrunner.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The registry of live processes: each runner and chron heartbeats a {@link ProcessRecord} that lives for a
 * time to live of server time, so a process that dies drops out by itself; the heartbeat's reply brings the
 * operators' controls (paused queues, cancel requests for the jobs the process runs) in the same round trip.
 */
public final class Presence {

    /** How long an expired record is kept before a listing deletes it. */
    private static final long FORGET_AFTER_MILLIS = 60_000;

    /** What a heartbeat brought back: the paused names and the requested cancels among the jobs given. */
    public record Controls(long serverTime, Set<String> paused, List<String> cancelRequested) {
    }

    private final OperatorScripts scripts;
    private final KeyLayout keys;
    private final ObjectMapper mapper = JobCodec.mapper();

    Presence(OperatorScripts scripts, KeyLayout keys) {
        this.scripts = scripts;
        this.keys = keys;
    }

    /**
     * Records {@code record} for {@code ttlMillis}; {@code runningJobs} are {@link ControlMessage#jobKey} of the jobs the
     * process runs, looked up among the cancel requests.
     */
    public CompletableFuture<Controls> heartbeat(ProcessRecord record, long ttlMillis, List<String> runningJobs) {
        String json;
        try {
            json = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the presence record of " + record.id(), e);
        }
        return scripts.presence(recordsKey(record.kind()), record.id(), ttlMillis, json, runningJobs)
                .thenApply(r -> new Controls(r.serverTime(), Set.copyOf(r.paused()), r.cancelRequested()));
    }

    /** Removes the record of a process that stops. */
    public CompletableFuture<Void> remove(String kind, String id) {
        return scripts.presence(recordsKey(kind), id, 1, "", List.of()).thenApply(r -> null);
    }

    /** The live runners, by id. */
    public List<ProcessRecord> runners() {
        return list("runner");
    }

    /** The live chrons, by id (the leader says so). */
    public List<ProcessRecord> chrons() {
        return list("chron");
    }

    private List<ProcessRecord> list(String kind) {
        List<ProcessRecord> out = new ArrayList<>();
        for (OperatorScripts.LiveRecord r : Futures.join(scripts.presenceList(recordsKey(kind), FORGET_AFTER_MILLIS), "presence list")) {
            try {
                out.add(mapper.readValue(r.json(), ProcessRecord.class).withExpiresAt(r.expiresAt()));
            } catch (JsonProcessingException e) {
                out.add(new ProcessRecord(r.id(), kind, "?", 0, "unreadable record: " + e.getOriginalMessage(), 0, null,
                        List.of(), List.of(), r.expiresAt()));
            }
        }
        out.sort(Comparator.comparing(ProcessRecord::id));
        return out;
    }

    private String recordsKey(String kind) {
        return switch (kind) {
            case "runner" -> keys.runners();
            case "chron" -> keys.chrons();
            default -> throw new IllegalArgumentException("process kind must be runner or chron, was '" + kind + "'");
        };
    }
}
