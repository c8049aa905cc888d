package io.jobrunner.bench;

/**
 * One line of the results table.
 *
 * @param scenario the scenario that measured it (ceiling, push, drain, ...)
 * @param name     what was measured, e.g. {@code slots=64}
 * @param unit     jobs/s, calls/s, ms, bytes/job, ...
 * @param value    median, min and max over the repeats
 * @param note     context (CPU, fraction of the ceiling, ...), may be empty
 */
public record Metric(String scenario, String name, String unit, Summary value, String note) {

    public Metric withNote(String newNote) {
        return new Metric(scenario, name, unit, value, newNote);
    }
}
