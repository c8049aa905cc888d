package io.jobrunner.client;

import java.util.Set;

/**
 * Paused names: a queue ({@code domain/type}) or a type in every domain ({@code *}{@code /type}). Pausing a queue
 * pauses every partition of it.
 */
public final class PausedSet {

    private PausedSet() {
    }

    /** True when {@code name} pauses {@code queue}. */
    public static boolean matches(String name, QueueName queue) {
        return name.equals(queue.logical().toString()) || name.equals("*/" + queue.type());
    }

    /** True when one of {@code names} pauses {@code queue}. */
    public static boolean isPaused(Set<String> names, QueueName queue) {
        return !names.isEmpty() && (names.contains(queue.logical().toString()) || names.contains("*/" + queue.type()));
    }
}
