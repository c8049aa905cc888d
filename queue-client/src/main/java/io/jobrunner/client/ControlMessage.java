package io.jobrunner.client;

/**
 * An operator's message to every runner on the wake-up channel, beside the wake-ups ({@link WakeUp}): it
 * starts with {@code !}, which no queue name can, so a runner that knows only wake-ups ignores it.
 * <ul>
 *   <li>{@code "!cancel domain/type id"}: cancel that job's run if you hold it;</li>
 *   <li>{@code "!pause name"} / {@code "!resume name"}: a queue ({@code domain/type}) or a type in every domain
 *       ({@code *}{@code /type}) was paused or resumed: re-read the paused set now.</li>
 * </ul>
 * Pub/sub may lose a message (a runner reconnecting): runners also read the cancel requests and the paused set
 * at their presence heartbeat ({@link Presence}), so a message only makes the change quicker.
 */
public record ControlMessage(String verb, String subject, String id) {

    public static final String CANCEL = "cancel";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";

    public static ControlMessage cancel(QueueName queue, String id) {
        return new ControlMessage(CANCEL, queue.toString(), id);
    }

    public static ControlMessage paused(String name, boolean paused) {
        return new ControlMessage(paused ? PAUSE : RESUME, name, null);
    }

    /** Parses a control message; null for anything else (a wake-up, or garbage). */
    public static ControlMessage parse(String message) {
        if (message == null || !message.startsWith("!")) {
            return null;
        }
        String[] parts = message.substring(1).split(" ");
        if (parts[0].equals(CANCEL) && parts.length == 3) {
            return new ControlMessage(CANCEL, parts[1], parts[2]);
        }
        if ((parts[0].equals(PAUSE) || parts[0].equals(RESUME)) && parts.length == 2) {
            return new ControlMessage(parts[0], parts[1], null);
        }
        return null;
    }

    public String encode() {
        return "!" + verb + " " + subject + (id == null ? "" : " " + id);
    }

    /** The key of a job in the cancel requests hash and the presence heartbeat: {@code "domain/type id"}. */
    public static String jobKey(QueueName queue, String id) {
        return queue + " " + id;
    }
}
