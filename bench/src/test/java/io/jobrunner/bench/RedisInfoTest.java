package io.jobrunner.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisInfoTest {

    private static final String BEFORE = """
            # CPU\r
            used_cpu_sys:1.500000\r
            used_cpu_user:2.250000\r
            # Commandstats\r
            cmdstat_evalsha:calls=10,usec=100,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=2,usec=20,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            """;

    private static final String AFTER = """
            # CPU\r
            used_cpu_sys:2.000000\r
            used_cpu_user:3.000000\r
            # Commandstats\r
            cmdstat_evalsha:calls=30,usec=400,usec_per_call=13.33,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=2,usec=20,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_zadd:calls=5,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            """;

    @Test
    void parsesFieldsAndCommandStats() {
        RedisInfo info = RedisInfo.parse(AFTER);
        assertThat(info.cpuSeconds()).isEqualTo(5.0);
        assertThat(info.commands().get("evalsha")).isEqualTo(new RedisInfo.CommandStat(30, 400));
        assertThat(info.asLong("missing")).isZero();
    }

    @Test
    void callsSinceKeepsOnlyCommandsWithNewCalls() {
        assertThat(RedisInfo.parse(AFTER).callsSince(RedisInfo.parse(BEFORE)))
                .containsExactly(java.util.Map.entry("evalsha", 20L), java.util.Map.entry("zadd", 5L));
    }
}
