package io.jobrunner.client;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a process last heard from Redis: reachable or not, refusing writes for memory or not. */
class RedisHealthTest {

    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    @Test
    void anOomAnswerMeansRedisRefusesWritesForMemoryWhileReachable() {
        RedisHealth health = new RedisHealth();
        assertThat(health.refusingWritesForMemory()).isFalse();
        health.record(new RedisCommandExecutionException(OOM));
        health.record(null); // a read or a delete still works: it does not end the episode
        RedisHealth.Snapshot s = health.snapshot();
        assertThat(s.refusingWritesForMemory()).isTrue();
        assertThat(s.reachable()).isTrue();
        assertThat(s.lastError()).contains("OOM");
        assertThat(RedisHealth.isOutOfMemory(ErrorCode.toException(new RedisCommandExecutionException(OOM), "push", null))).isTrue();
    }

    @Test
    void aConnectionFailureMeansUnreachableUntilACallSucceeds() {
        RedisHealth health = new RedisHealth();
        health.record(new RedisConnectionException("Connection refused"));
        assertThat(health.reachable()).isFalse();
        assertThat(health.refusingWritesForMemory()).isFalse();
        health.record(null);
        assertThat(health.reachable()).isTrue();
    }
}
