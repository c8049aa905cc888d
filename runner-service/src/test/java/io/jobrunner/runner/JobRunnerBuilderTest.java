package io.jobrunner.runner;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plain-Java builder refuses bad settings with the daemon's rules and key names, before connecting to Redis. */
class JobRunnerBuilderTest {

    // Nothing listens here: a builder that got past validation would fail to connect instead.
    private static final String NOWHERE = "redis://127.0.0.1:1";

    @Test
    void aRunnerNeedsAHandler() {
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no handlers: register at least one with handler(type, job -> ...)");
    }

    @Test
    void badGroupSettingsNameTheKey() {
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).group("basic", -1, "*").handler("a", job -> { }).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobrunner.runner.groups.basic.slots")
                .hasMessageContaining("must be 0 (group disabled) to 4096, was -1");
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).group("basic", 2).handler("a", job -> { }).build())
                .hasMessageContaining("jobrunner.runner.groups.basic.types")
                .hasMessageContaining("must name at least one job type");
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).group("basic", g -> g.slots(2).types("*").highShare(1.5))
                .handler("a", job -> { }).build())
                .hasMessageContaining("high-share").hasMessageContaining("was 1.5");
        assertThatThrownBy(() -> JobRunner.builder().group("a", 1, "*").group("a", 1, "*"))
                .hasMessage("group 'a' is already defined");
    }

    @Test
    void badLimitsAndRedisSettingsNameTheKey() {
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).handler("a", job -> { }).attempts("a", 0).build())
                .hasMessageContaining("jobrunner.limits.attempts.a").hasMessageContaining("must be at least 1, was 0");
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).handler("a", job -> { }).claimTtl("*", Duration.ofMillis(10)).build())
                .hasMessageContaining("jobrunner.limits.claim-ttl").hasMessageContaining("at least 300ms");
        assertThatThrownBy(() -> JobRunner.builder().redis("http://example.org").handler("a", job -> { }).build())
                .hasMessageContaining("jobrunner.redis.uri").hasMessageContaining("must start with redis://");
        assertThatThrownBy(() -> JobRunner.builder().redis(NOWHERE).handler("a", job -> { }).shutdownGrace(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("jobrunner.runner.shutdown-grace");
    }

    @Test
    void handlersNeedAJobTypeAndOnlyOneEach() {
        assertThatThrownBy(() -> JobRunner.builder().handler("send mail", job -> { }))
                .hasMessageContaining("handler type 'send mail' is not a job type");
        assertThatThrownBy(() -> JobRunner.builder().handler("a", job -> { }).handler("a", (job, context) -> { }))
                .hasMessage("job type 'a' already has a handler");
    }
}
