package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1, the ceiling: what this Redis does on this machine with the same client library (Lettuce),
 * below queue-client. Duties:
 * <ol>
 *   <li>a claim-shaped script (RPOP a list, HSET a hash field, ZADD a sorted set) over 1/2/4 connections x
 *       pipeline depth 1/16/128 (a depth of d: d calls sent, then all d replies awaited, as
 *       {@code redis-benchmark -P d}); the best median is the ceiling every other figure is a fraction of;</li>
 *   <li>plain LPUSH and RPOP at that best connection count and depth;</li>
 *   <li>the PING round trip: its latency (p50, p99) and its rate (one connection, one PING at a time, calls/s
 *       over a timed pass): what one producer awaiting each call can do at most;</li>
 *   <li>the whole grid goes to the JSON details.</li>
 * </ol>
 * Each pass is bounded by a time and a call count; the list is pre-filled so a pop never finds it empty.
 */
public final class CeilingScenario implements Scenario {

    /** The claim shape: pop an id, set a hash field, add it to a sorted set. */
    public static final String SCRIPT = """
            local id = redis.call('RPOP', KEYS[1])
            if not id then return 0 end
            redis.call('HSET', KEYS[2], id, ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[2], id)
            return 1
            """;

    static final int[] CONNECTIONS = {1, 2, 4};
    static final int[] DEPTHS = {1, 16, 128};

    private enum Op { SCRIPT, LPUSH, RPOP }

    @Override
    public String name() {
        return "ceiling";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        String prefix = ctx.redis().newPrefix();
        String[] keys = {prefix + ":{ceiling}:list", prefix + ":{ceiling}:hash", prefix + ":{ceiling}:zset"};
        String sha = ctx.redis().admin().scriptLoad(SCRIPT);
        Duration time = ctx.config().ceilingTime();
        int budget = ctx.config().ceilingCalls();

        double warm = pass(ctx, Op.SCRIPT, sha, keys, 2, 16, time, budget);
        ctx.log().printf("  ceiling warm-up: %.0f calls/s%n", warm);

        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (int r = 1; r <= ctx.config().repeats(); r++) {
            for (int c : CONNECTIONS) {
                for (int d : DEPTHS) {
                    double rate = pass(ctx, Op.SCRIPT, sha, keys, c, d, time, budget);
                    grid.computeIfAbsent(label(c, d), k -> new ArrayList<>()).add(rate);
                    ctx.log().printf("  ceiling script %-10s repeat %d  %.0f calls/s%n", label(c, d), r, rate);
                }
            }
        }
        String best = null;
        Summary bestSummary = null;
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : grid.entrySet()) {
            Summary s = Summary.of(e.getValue());
            medians.put(e.getKey(), Math.round(s.median() * 10) / 10.0);
            if (bestSummary == null || s.median() > bestSummary.median()) {
                best = e.getKey();
                bestSummary = s;
            }
        }
        int bestConns = Integer.parseInt(best.substring(best.indexOf("conn=") + 5, best.indexOf(' ')));
        int bestDepth = Integer.parseInt(best.substring(best.indexOf("depth=") + 6));
        ctx.results().add(name(), "script (rpop+hset+zadd)", "calls/s", bestSummary, "best: " + best);
        ctx.results().detail(name(), "script calls/s by connections and depth (median)", medians);
        ctx.results().detail(name(), "best", Map.of("connections", bestConns, "depth", bestDepth));

        roundTrip(ctx);

        for (Op op : new Op[]{Op.LPUSH, Op.RPOP}) {
            List<Double> rates = new ArrayList<>();
            for (int r = 1; r <= ctx.config().repeats(); r++) {
                rates.add(pass(ctx, op, sha, keys, bestConns, bestDepth, time, budget));
            }
            ctx.log().printf("  ceiling %s %s: %s%n", op, best, rates);
            ctx.results().add(name(), op.name(), "calls/s", Summary.of(rates), best);
        }
    }

    /** The name of the PING round-trip rate metric. */
    public static final String PING_RATE = "PING round trips, one at a time";

    /**
     * One PING at a time on one connection: the round trip every latency figure is made of (2000 timed PINGs a
     * round), and how many of them fit in a second (timed passes of {@code --ceiling-seconds}, at most
     * {@code --ceiling-calls} calls); the first round of each is a warm-up.
     */
    private void roundTrip(BenchContext ctx) {
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        try (StatefulRedisConnection<String, String> conn = ctx.redis().lettuce().connect()) {
            var sync = conn.sync();
            for (int r = 0; r <= ctx.config().repeats(); r++) {
                long start = System.nanoTime();
                long deadline = start + ctx.config().ceilingTime().toNanos();
                long calls = 0;
                while (calls < ctx.config().ceilingCalls() && System.nanoTime() < deadline) {
                    sync.ping();
                    calls++;
                }
                double rate = calls / ((System.nanoTime() - start) / 1e9);
                ctx.log().printf("  ceiling PING one at a time, %s  %.0f calls/s%n", r == 0 ? "warm-up " : "repeat " + r, rate);
                if (r > 0) {
                    rates.add(rate);
                }
            }
            for (int r = 0; r <= ctx.config().repeats(); r++) {
                io.jobrunner.bench.Latencies l = new io.jobrunner.bench.Latencies(2000);
                for (int i = 0; i < 2000; i++) {
                    long t = System.nanoTime();
                    sync.ping();
                    l.record(System.nanoTime() - t);
                }
                if (r > 0) { // the first round warms up
                    long[] sorted = l.sorted();
                    p50.add(io.jobrunner.bench.Latencies.percentileMillis(sorted, 50));
                    p99.add(io.jobrunner.bench.Latencies.percentileMillis(sorted, 99));
                }
            }
        }
        ctx.results().add(name(), "PING round trip p50", "ms", Summary.of(p50), "one connection, one at a time");
        ctx.results().add(name(), "PING round trip p99", "ms", Summary.of(p99), "");
        ctx.results().add(name(), PING_RATE, "calls/s", Summary.of(rates), "one connection, each reply awaited, timed pass");
    }

    /** The PING round-trip rate, read back by the push scenario and the targets; NaN when the ceiling did not run. */
    public static double pingRate(io.jobrunner.bench.Results results) {
        return results.find("ceiling", PING_RATE).map(m -> m.value().median()).orElse(Double.NaN);
    }

    /** Ceiling script calls/s, read back by the other scenarios; NaN when the ceiling did not run. */
    public static double ceiling(io.jobrunner.bench.Results results) {
        return results.find("ceiling", "script (rpop+hset+zadd)").map(m -> m.value().median()).orElse(Double.NaN);
    }

    private static String label(int connections, int depth) {
        return "conn=" + connections + " depth=" + depth;
    }

    private double pass(BenchContext ctx, Op op, String sha, String[] keys, int connections, int depth,
                        Duration time, int budget) throws Exception {
        var admin = ctx.redis().admin();
        admin.unlink(keys);
        if (op != Op.LPUSH) {
            prefill(ctx, keys[0], budget);
        }
        List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(ctx.redis().lettuce().connect());
        }
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong calls = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        int perThread = budget / connections;
        long[] start = new long[1];
        for (int i = 0; i < connections; i++) {
            StatefulRedisConnection<String, String> conn = conns.get(i);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long deadline = start[0] + time.toNanos();
                    long done = drive(conn, op, sha, keys, depth, perThread, deadline);
                    calls.addAndGet(done);
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-ceiling-" + i);
            threads.add(t);
            t.start();
        }
        start[0] = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(time.toMillis() + 60_000);
        }
        conns.forEach(StatefulRedisConnection::close);
        admin.unlink(keys);
        double seconds = (lastEnd.get() - start[0]) / 1e9;
        return calls.get() / seconds;
    }

    /** Calls until the budget or the deadline; returns how many were made. */
    private static long drive(StatefulRedisConnection<String, String> conn, Op op, String sha, String[] keys,
                              int depth, int budget, long deadline) {
        RedisAsyncCommands<String, String> async = conn.async();
        conn.setAutoFlushCommands(depth == 1);
        String token = "tok-0123456789abcdefghi";
        String score = Long.toString(System.currentTimeMillis() + 60_000);
        long done = 0;
        int n = 0;
        List<RedisFuture<?>> batch = new ArrayList<>(depth);
        while (done < budget && System.nanoTime() < deadline) {
            int size = (int) Math.min(depth, budget - done);
            batch.clear();
            for (int i = 0; i < size; i++) {
                batch.add(switch (op) {
                    case SCRIPT -> async.evalsha(sha, ScriptOutputType.INTEGER, keys, token, score);
                    case LPUSH -> async.lpush(keys[0], id(n++));
                    case RPOP -> async.rpop(keys[0]);
                });
            }
            if (depth > 1) {
                conn.flushCommands();
            }
            if (!LettuceFutures.awaitAll(30, TimeUnit.SECONDS, batch.toArray(RedisFuture[]::new))) {
                throw new IllegalStateException("ceiling: no reply within 30 s");
            }
            done += size;
        }
        conn.setAutoFlushCommands(true);
        return done;
    }

    private static void prefill(BenchContext ctx, String list, int count) {
        try (StatefulRedisConnection<String, String> conn = ctx.redis().lettuce().connect()) {
            conn.setAutoFlushCommands(false);
            List<RedisFuture<?>> pending = new ArrayList<>();
            for (int from = 0; from < count; from += 1000) {
                String[] ids = new String[Math.min(1000, count - from)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = id(from + i);
                }
                pending.add(conn.async().lpush(list, ids));
                if (pending.size() == 50) {
                    conn.flushCommands();
                    LettuceFutures.awaitAll(60, TimeUnit.SECONDS, pending.toArray(RedisFuture[]::new));
                    pending.clear();
                }
            }
            conn.flushCommands();
            LettuceFutures.awaitAll(60, TimeUnit.SECONDS, pending.toArray(RedisFuture[]::new));
        }
    }

    /** A 22-character id, the length of a real job id. */
    private static String id(int n) {
        String digits = Integer.toString(n);
        return "j" + "0".repeat(21 - digits.length()) + digits;
    }
}
