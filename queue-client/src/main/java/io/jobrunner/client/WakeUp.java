package io.jobrunner.client;

/**
 * A message on the wake-up channel: this queue became ready.
 * <ul>
 *   <li>{@code "domain/type stamp"}: published after the registry follow-up wrote {@code stamp} to
 *       {@code jr:ready} ({@link QueueRegistry#markReady}), so a runner may remove the queue with it;</li>
 *   <li>{@code "domain/type"} (a hint, {@link #stamp()} null): published by the push script itself, before the
 *       producer's follow-up wrote the queue's stamp. A runner claims from the queue at once but must not
 *       compare-and-delete with a stamp it did not read from {@code jr:ready}: a follow-up landing late could
 *       otherwise carry an older stamp over a newer push's and let that push be hidden.</li>
 * </ul>
 */
public record WakeUp(QueueName queue, String stamp) {

    /** A wake-up without a stamp (see the class comment). */
    public static WakeUp hint(QueueName queue) {
        return new WakeUp(queue, null);
    }

    /** Parses {@code "domain/type stamp"} or {@code "domain/type"}; returns null for anything else. */
    public static WakeUp parse(String message) {
        if (message == null) {
            return null;
        }
        int space = message.indexOf(' ');
        try {
            return space < 0 ? hint(QueueName.parse(message))
                    : new WakeUp(QueueName.parse(message.substring(0, space)), message.substring(space + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String encode() {
        return stamp == null ? queue.toString() : queue + " " + stamp;
    }
}
