package io.jobrunner.client;

/** A message on the wake-up channel: this queue became ready, with this registry stamp. */
public record WakeUp(QueueName queue, String stamp) {

    /** Parses {@code "domain/type stamp"}; returns null for anything else. */
    public static WakeUp parse(String message) {
        if (message == null) {
            return null;
        }
        int space = message.indexOf(' ');
        try {
            return space < 0 ? null : new WakeUp(QueueName.parse(message.substring(0, space)), message.substring(space + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String encode() {
        return queue + " " + stamp;
    }
}
