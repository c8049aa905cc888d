package io.jobrunner.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU used by Redis (from {@code INFO cpu}) and by this JVM (process CPU time) between {@link #start} and
 * {@link #stop}, as cores busy on average over the wall time (1.0 = one core fully busy).
 */
public final class CpuMeter {

    /**
     * @param redisCores Redis CPU seconds per wall second
     * @param jvmCores   this JVM's CPU seconds per wall second (runner, producers and the bench itself)
     * @param seconds    wall time measured
     */
    public record Usage(double redisCores, double jvmCores, double seconds) {
        @Override
        public String toString() {
            return String.format("redis %.0f%% cpu, jvm %.0f%% cpu", redisCores * 100, jvmCores * 100);
        }
    }

    private final BenchRedis redis;
    private double redisStart;
    private long jvmStart;
    private long wallStart;

    private CpuMeter(BenchRedis redis) {
        this.redis = redis;
    }

    public static CpuMeter start(BenchRedis redis) {
        CpuMeter meter = new CpuMeter(redis);
        meter.redisStart = redis.info("cpu").cpuSeconds();
        meter.jvmStart = jvmCpuNanos();
        meter.wallStart = System.nanoTime();
        return meter;
    }

    public Usage stop() {
        long wall = System.nanoTime() - wallStart;
        double redisCpu = redis.info("cpu").cpuSeconds() - redisStart;
        long jvmCpu = jvmCpuNanos() - jvmStart;
        double seconds = wall / 1e9;
        return new Usage(redisCpu / seconds, jvmCpu / 1e9 / seconds, seconds);
    }

    static long jvmCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
