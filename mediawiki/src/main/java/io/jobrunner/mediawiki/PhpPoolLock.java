package io.jobrunner.mediawiki;

import io.lettuce.core.api.sync.RedisCommands;

import java.util.Locale;
import java.util.Objects;

/**
 * A slot of the PHP chron's pool lock ({@code RedisJobChronService::executePeriodicTasks:lock:<i>}, one slot per
 * queue server), taken for each pass so a PHP chron left running during a migration never passes at the same
 * time. PHP's protocol: a slot is free when missing or older than 300 s; it is won by {@code GETSET} returning
 * what {@code GET} saw. Values are UNIX seconds written as a float.
 */
public final class PhpPoolLock {

    public static final String KEY = "RedisJobChronService::executePeriodicTasks:lock:";
    static final double STALE_SECONDS = 300;

    private final int slots;

    public PhpPoolLock(int slots) {
        this.slots = slots;
    }

    /** Tries every slot in turn; returns the slot won, or -1 when PHP chrons hold every slot. */
    public int acquire(RedisCommands<String, String> redis, double nowSeconds) {
        for (int i = 0; i < slots; i++) {
            String key = KEY + i;
            String seen = redis.get(key);
            if (seen != null && parse(seen) >= nowSeconds - STALE_SECONDS) {
                continue;
            }
            String before = redis.getset(key, format(nowSeconds));
            if (Objects.equals(before, seen)) {
                return i;
            }
        }
        return -1;
    }

    /** Keeps the slot fresh during a long pass. */
    public void refresh(RedisCommands<String, String> redis, int slot, double nowSeconds) {
        redis.set(KEY + slot, format(nowSeconds));
    }

    public void release(RedisCommands<String, String> redis, int slot) {
        redis.del(KEY + slot);
    }

    static String format(double seconds) {
        return String.format(Locale.ROOT, "%.4f", seconds);
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0; // not PHP's: treat as stale
        }
    }
}
