package io.jobrunner.runner;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobTracing;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application without OpenTelemetry (this test runs in a JVM with no OpenTelemetry jar: see the
 * {@code without-opentelemetry} execution in the pom, the only one that enables it): clients trace nothing, and a {@code traceparent} the
 * producer set reaches every executor as it was pushed, through Redis.
 */
@Timeout(120)
@EnabledIfSystemProperty(named = "jobrunner.test.without-opentelemetry", matches = "true")
@ExtendWith(RedisExtension.class)
class NoOpenTelemetryIT {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void theClasspathHasNoOpenTelemetry() {
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry")).isInstanceOf(ClassNotFoundException.class);
        assertThat(JobTracing.detect()).isSameAs(JobTracing.none());
    }

    @Test
    void aTraceparentSetAtPushReachesEveryExecutorUnchanged(TestRedis redis, @TempDir Path dir) throws Exception {
        JobRunnerClient producer = redis.client();
        assertThat(producer.tracing()).isSameAs(JobTracing.none());
        try (MetadataProbe probe = new MetadataProbe(redis.client(), dir, (job, context) -> { })) {
            for (String type : new String[]{"javaJob", "commandJob", "httpJob"}) {
                Job job = Job.of(type).withMetadata("traceparent", TRACEPARENT).withMetadata("correlation-id", "order-17");
                producer.producer().push(job);
                assertThat(probe.awaitSeen(job)).as(type).isEqualTo(new MetadataProbe.Seen(TRACEPARENT, "order-17"));
            }
            Job plain = Job.of("commandJob");
            producer.producer().push(plain);
            assertThat(probe.awaitSeen(plain)).as("a job without metadata").isEqualTo(new MetadataProbe.Seen(null, null));
        }
    }
}
