package io.jobrunner.bench;

import io.jobrunner.client.Script;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Redis's longest command over a window, from its own records:
 * <ol>
 *   <li>{@code SLOWLOG} (microseconds, with the command's name): on the bench's own Redis, {@link #configure} logs
 *       every command slower than {@value #SLOWLOG_MICROS} µs (up to {@value #SLOWLOG_LEN} entries) and each window
 *       starts with {@code SLOWLOG RESET}; on someone else's Redis its settings are left alone and only entries newer
 *       than the window's start are read (its threshold, other clients' commands included);</li>
 *   <li>{@code LATENCY LATEST} (milliseconds, the {@code command} and {@code fast-command} events): on the bench's own
 *       Redis only, with {@code latency-monitor-threshold} 1 ms and {@code LATENCY RESET} at the window's start.</li>
 * </ol>
 */
public final class SlowCommands {

    static final int SLOWLOG_MICROS = 100;
    static final int SLOWLOG_LEN = 10_000;

    /**
     * The longest command of a window.
     *
     * @param micros        its duration in µs (0 when none was logged: every command was faster than the threshold)
     * @param command       its name and first argument (e.g. {@code evalsha 3f2a...}), empty when none was logged
     * @param entries       slow-log entries in the window
     * @param latencyMillis the latency monitor's longest command event in ms, NaN when not read (external Redis)
     */
    public record Longest(double micros, String command, int entries, double latencyMillis) {

        public double millis() {
            return micros / 1000.0;
        }

        @Override
        public String toString() {
            return entries == 0 ? "no command over the slow-log threshold"
                    : String.format("longest command %.3f ms (%s), %d slow-log entries%s", millis(), command, entries,
                    Double.isNaN(latencyMillis) ? "" : String.format(", latency monitor %.0f ms", latencyMillis));
        }
    }

    private enum Latency implements ProtocolKeyword {
        LATENCY;

        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The client's scripts by sha, to name an {@code evalsha}. */
    private static final Map<String, String> SCRIPT_NAMES = Arrays.stream(Script.values())
            .collect(Collectors.toMap(Script::sha, s -> s.fileName().replace(".lua", ""), (a, b) -> a));

    private final BenchRedis redis;
    private final long lastIdBefore;

    private SlowCommands(BenchRedis redis, long lastIdBefore) {
        this.redis = redis;
        this.lastIdBefore = lastIdBefore;
    }

    /**
     * On the bench's own Redis: log commands slower than {@value #SLOWLOG_MICROS} µs and watch latencies from 1 ms;
     * returns the settings it replaced, for {@link #restore}. Nothing on someone else's Redis.
     */
    public static Map<String, String> configure(BenchRedis redis) {
        if (!redis.owned()) {
            return Map.of();
        }
        RedisCommands<String, String> admin = redis.admin();
        Map<String, String> before = admin.configGet("slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold");
        admin.configSet(Map.of("slowlog-log-slower-than", Integer.toString(SLOWLOG_MICROS), "slowlog-max-len",
                Integer.toString(SLOWLOG_LEN), "latency-monitor-threshold", "1"));
        return before;
    }

    public static void restore(BenchRedis redis, Map<String, String> settings) {
        if (!settings.isEmpty()) {
            redis.admin().configSet(settings);
        }
    }

    /** Starts a window. */
    public static SlowCommands start(BenchRedis redis) {
        RedisCommands<String, String> admin = redis.admin();
        if (redis.owned()) {
            admin.slowlogReset();
            admin.dispatch(Latency.LATENCY, new IntegerOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("RESET"));
            return new SlowCommands(redis, -1);
        }
        return new SlowCommands(redis, newestId(admin.slowlogGet(1)));
    }

    /** Ends the window: its longest command. */
    public Longest stop() {
        RedisCommands<String, String> admin = redis.admin();
        Longest fromLog = longest(admin.slowlogGet(SLOWLOG_LEN), lastIdBefore, SCRIPT_NAMES);
        double latency = redis.owned() ? longestLatencyEvent(admin.dispatch(Latency.LATENCY, new NestedMultiOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("LATEST"))) : Double.NaN;
        return new Longest(fromLog.micros(), fromLog.command(), fromLog.entries(), latency);
    }

    /**
     * The longest of the slow-log entries ({@code SLOWLOG GET} reply) whose id is above {@code afterId}; an
     * {@code evalsha} is named by its script when {@code scriptNames} (sha to name) knows it.
     */
    static Longest longest(List<Object> slowlog, long afterId, Map<String, String> scriptNames) {
        long micros = 0;
        String command = "";
        int entries = 0;
        for (Object e : slowlog) {
            List<?> entry = (List<?>) e;
            if (((Number) entry.get(0)).longValue() <= afterId) {
                continue;
            }
            entries++;
            long duration = ((Number) entry.get(2)).longValue();
            if (duration > micros) {
                micros = duration;
                command = describe((List<?>) entry.get(3), scriptNames);
            }
        }
        return new Longest(micros, command, entries, Double.NaN);
    }

    /** The largest "max" of the {@code command} and {@code fast-command} events of a {@code LATENCY LATEST} reply, 0 when none. */
    static double longestLatencyEvent(List<Object> latest) {
        long max = 0;
        for (Object e : latest) {
            List<?> event = (List<?>) e;
            String name = String.valueOf(event.get(0));
            if (name.equals("command") || name.equals("fast-command")) {
                max = Math.max(max, ((Number) event.get(3)).longValue());
            }
        }
        return max;
    }

    private static long newestId(List<Object> slowlog) {
        return slowlog.isEmpty() ? -1 : ((Number) ((List<?>) slowlog.get(0)).get(0)).longValue();
    }

    /** {@code evalsha prune}, {@code hgetall jrb1-2:{d/t}:data}: the name and first argument, cut short. */
    private static String describe(List<?> args, Map<String, String> scriptNames) {
        if (args.isEmpty()) {
            return "";
        }
        String name = String.valueOf(args.get(0)).toLowerCase(Locale.ROOT);
        if (args.size() == 1) {
            return name;
        }
        String first = String.valueOf(args.get(1));
        String script = name.equals("evalsha") ? scriptNames.get(first.toLowerCase(Locale.ROOT)) : null;
        return name + " " + (script != null ? script : first.length() <= 24 ? first : first.substring(0, 24) + "...");
    }
}
