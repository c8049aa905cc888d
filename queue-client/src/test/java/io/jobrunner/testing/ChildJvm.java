package io.jobrunner.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM a test starts (a daemon's main class on the test's classpath), to kill it or signal it as an
 * operator would. Its stdout and stderr go to {@code <dir>/<name>.log}; the {@code JOBRUNNER_*} environment
 * overrides are removed so only the arguments configure it. {@link #close()} kills it if it still runs.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(Path dir, String name, Class<?> mainClass, String... args) throws IOException {
        // C1 only and the serial collector: a daemon of a test lives seconds, so it starts sooner and takes less of
        // the CPU the test's other processes share (the tests measure recovery, not the daemons' peak speed)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(key -> key.startsWith("JOBRUNNER_"));
        return new ChildJvm(pb.start(), log);
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far (for assertion messages). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
