package io.jobrunner.mediawiki.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code jobrunner runner} or {@code jobrunner chron}, started from the built jar as a child process the way a
 * user starts it, its output in a log file, its metrics read from its {@code /metrics}. Stopped by pid.
 */
final class Daemon implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("status on http://127\\.0\\.0\\.1:(\\d+)/status");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final Path log;
    private int port;

    private Daemon(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Daemon start(Path dir, String name, String... args) throws Exception {
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-jar", MediaWikiPrerequisites.jar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Daemon daemon = new Daemon(process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (daemon.port == 0) {
            Matcher m = STATUS.matcher(daemon.log());
            if (m.find()) {
                daemon.port = Integer.parseInt(m.group(1));
            } else if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start:\n" + daemon.log());
            } else {
                Thread.sleep(100);
            }
        }
        return daemon;
    }

    String log() throws Exception {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /**
     * A Prometheus sample's value from /metrics, summed over every series of {@code name} (the full sample name,
     * {@code jobrunner_mediawiki_jobs_succeeded_total}) whose labels include {@code labels} (name, value, ...); 0 when
     * none.
     */
    long metric(String name, String... labels) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(response.body());
        double sum = 0;
        while (m.find()) {
            String series = m.group(1) == null ? "" : m.group(1);
            boolean matches = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                matches &= series.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (matches) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return (long) sum;
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int stop(Duration wait) throws Exception {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            kill9();
            throw new IllegalStateException("did not stop within " + wait + ":\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL to the JVM and every process it started. */
    void kill9() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill9();
        }
    }
}
