package io.jobrunner.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a live runner or chron says about itself in its presence heartbeat ({@link Presence}), as JSON.
 *
 * @param id        the process's id (runner id, chron id)
 * @param kind      {@code runner} or {@code chron}
 * @param host      host name
 * @param pid       process id
 * @param version   jobrunner version
 * @param startedAt epoch ms
 * @param leader    for a chron: whether it holds the leader lease
 * @param groups    for a runner: its groups with their slots
 * @param current   for a runner: the jobs it runs now
 * @param expiresAt epoch ms of server time the record lives until (filled in when read)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcessRecord(String id, String kind, String host, long pid, String version, long startedAt, Boolean leader,
                            List<Group> groups, List<Running> current, Long expiresAt) {

    /** One group of slots: name, slots, busy slots, the types it serves. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(String name, int slots, int busy, List<String> types) {
    }

    /** A job being run: queue, id, attempt, how long it has run (ms), the slot running it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Running(String queue, String id, int attempt, long elapsedMs, String slot) {
    }

    public int slots() {
        return groups == null ? 0 : groups.stream().mapToInt(Group::slots).sum();
    }

    public int busy() {
        return groups == null ? 0 : groups.stream().mapToInt(Group::busy).sum();
    }

    /** The version of the running jobrunner (the distribution jar's manifest), or {@code dev} when run from classes. */
    public static String currentVersion() {
        String v = ProcessRecord.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** This host's name ({@code HOSTNAME}, else the resolver's), or {@code unknown}. */
    public static String currentHost() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    ProcessRecord withExpiresAt(long at) {
        return new ProcessRecord(id, kind, host, pid, version, startedAt, leader, groups, current, at);
    }
}
