package io.jobrunner.testing;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.QueueName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared fixtures that need no Redis: {@link TestClock} and {@link TestJobs}. */
class FixturesTest {

    @Test
    void theTestClockMovesOnlyWhenToldAndRunsAHookOnce() {
        TestClock clock = new TestClock();
        assertThat(clock.instant()).isEqualTo(TestClock.START);
        assertThat(clock.millis()).isEqualTo(TestClock.START.toEpochMilli());
        clock.advance(Duration.ofSeconds(5));
        assertThat(clock.instant()).isEqualTo(TestClock.START.plusSeconds(5));
        clock.set(Instant.EPOCH.plusMillis(42));
        assertThat(clock.millis()).isEqualTo(42);

        AtomicInteger runs = new AtomicInteger();
        clock.onNextRead(() -> {
            runs.incrementAndGet();
            clock.advance(Duration.ofMillis(1));
        });
        assertThat(clock.millis()).as("the hook runs before the time is read").isEqualTo(43);
        assertThat(clock.millis()).isEqualTo(43);
        assertThat(runs).hasValue(1);

        Clock zoned = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofMillis(7));
        assertThat(zoned.millis()).isEqualTo(50);
        assertThat(zoned.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void theJobBuilderHasPlainDefaultsAndFreshIds() {
        Job a = TestJobs.job().build();
        Job b = TestJobs.job().build();
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.type()).isEqualTo(TestJobs.DEFAULT_TYPE);
        assertThat(a.domain()).isEqualTo(Job.DEFAULT_DOMAIN);
        assertThat(a.params().isEmpty()).isTrue();
        assertThat(a.releaseAt()).isNull();
        assertThat(a.dedupKey()).isNull();
        assertThat(a.root()).isNull();
    }

    @Test
    void theJobBuilderSetsEveryField() {
        TestClock clock = new TestClock();
        QueueName queue = new QueueName("wiki", "links");
        Job job = TestJobs.job(queue).id("fixed").param("page", "Main").param("n", 3).param("big", 1L << 40)
                .root("sig", TestJobs.ROOT_T0 + 7).delayed(clock, Duration.ofMinutes(1)).deduplicated("n").build();
        assertThat(job.queue()).isEqualTo(queue);
        assertThat(job.id()).isEqualTo("fixed");
        assertThat(job.params().get("page").asText()).isEqualTo("Main");
        assertThat(job.params().get("big").asLong()).isEqualTo(1L << 40);
        assertThat(job.enqueuedAt()).isEqualTo(clock.millis());
        assertThat(job.releaseAt()).isEqualTo(clock.millis() + 60_000);
        assertThat(job.dedupKey()).isEqualTo(TestJobs.job(queue).param("page", "Main").param("big", 1L << 40).param("n", 99)
                .deduplicated("n").build().dedupKey());
        assertThat(job.root().signature()).isEqualTo("sig");
        assertThat(JobCodec.decode(JobCodec.encode(job))).as("a built job equals itself read back").isEqualTo(job);
    }

    @Test
    void manyJobsAreDistinctAndSizedParamsAreExact() {
        List<Job> jobs = TestJobs.jobs(TestJobs.queue("many"), 5);
        assertThat(jobs).extracting(Job::id).doesNotHaveDuplicates();
        assertThat(jobs).extracting(j -> j.params().get("seq").asInt()).containsExactly(0, 1, 2, 3, 4);
        for (int size : new int[]{11, 12, 100, 4096}) {
            Job sized = TestJobs.job().paramsOfSize(size).build();
            assertThat(JobCodec.mapper().valueToTree(sized.params()).toString()).hasSize(size);
        }
    }
}
