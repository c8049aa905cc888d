package io.jobrunner.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: CPU, memory, OS, JVM, Redis, and the load when the run started. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static Map<String, Object> describe(BenchRedis redis) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", cpuModel());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("memory", memTotal());
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        RedisInfo server = redis.info("server");
        out.put("redis", server.get("redis_version") + " (" + redis.kind() + ", " + server.get("multiplexing_api")
                + ", io-threads " + redis.admin().configGet("io-threads").getOrDefault("io-threads", "?") + ")");
        out.put("loadAverageAtStart", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
        return out;
    }

    private static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "?";
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
