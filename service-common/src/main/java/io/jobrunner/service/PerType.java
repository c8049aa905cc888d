package io.jobrunner.service;

import java.util.Comparator;
import java.util.Map;

/**
 * A value per job type with a default: {@code limits.attempts { "*" = 3, webVideoTranscode = 1 }}.
 *
 * @param byType   exact job types to their value
 * @param fallback the {@code "*"} value
 */
public record PerType<T>(Map<String, T> byType, T fallback) {

    public PerType {
        byType = Map.copyOf(byType);
    }

    public T forType(String type) {
        return byType.getOrDefault(type, fallback);
    }

    /** The smallest value of any type, the default included. */
    public T smallest(Comparator<? super T> order) {
        T min = fallback;
        for (T value : byType.values()) {
            if (order.compare(value, min) < 0) {
                min = value;
            }
        }
        return min;
    }
}
