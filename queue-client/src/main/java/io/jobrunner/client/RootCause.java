package io.jobrunner.client;

/** What a failure comes down to, for a log line or an error message: the deepest cause's message. */
public final class RootCause {

    private RootCause() {
    }

    /** The message of the innermost cause of {@code t}, or that cause's simple class name when it has none. */
    public static String message(Throwable t) {
        return messageOf(of(t));
    }

    /**
     * The outermost message followed by the innermost one when that adds something ({@code "connect failed:
     * Connection refused"}); just the message when {@code t} has no cause.
     */
    public static String withContext(Throwable t) {
        Throwable root = of(t);
        String message = messageOf(root);
        return root == t ? message : t.getMessage() + (t.getMessage() != null && t.getMessage().contains(message) ? "" : ": " + message);
    }

    /** The innermost cause of {@code t} ({@code t} itself when it has none). */
    public static Throwable of(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
