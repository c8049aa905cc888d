package io.jobrunner.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of a probe ({@code /livez}, {@code /readyz}): whether it passes, why not, and what it looked at.
 *
 * @param ok      true: 200, false: 503
 * @param reason  one line saying why it fails, or "ok"
 * @param checks  each check's finding, by name (shown as JSON)
 */
public record ProbeResult(boolean ok, String reason, Map<String, Object> checks) {

    public ProbeResult {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** A probe of one check. */
    public static ProbeResult of(String name, boolean passes, String detail) {
        return builder().check(name, passes, detail).build();
    }

    /** A probe built from checks: passes when every check passes; the reason names the first that fails. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, Object> checks = new LinkedHashMap<>();
        private String failure;

        /** A check that passes or fails with a reason; {@code detail} is shown either way. */
        public Builder check(String name, boolean passes, String detail) {
            checks.put(name, detail);
            if (!passes && failure == null) {
                failure = name + ": " + detail;
            }
            return this;
        }

        /** A finding shown in the body that decides nothing (e.g. the chron's role). */
        public Builder info(String name, Object value) {
            checks.put(name, value);
            return this;
        }

        public ProbeResult build() {
            return new ProbeResult(failure == null, failure == null ? "ok" : failure, checks);
        }
    }
}
