package io.jobrunner.runner;

/**
 * The two classes of job types in a group: {@link #HIGH} (every type the group serves that is not listed in
 * its {@code low-priority}) and {@link #LOW}. A group splits its slot-busy time between them
 * ({@link TimeShare}).
 */
public enum JobClass {
    HIGH,
    LOW;

    public JobClass other() {
        return this == HIGH ? LOW : HIGH;
    }
}
