package io.jobrunner.spring;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.JobRunner;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;
import io.jobrunner.runner.executor.SimpleJobHandler;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration in an application context against a real Redis: properties checked at binding, handler
 * beans run pushed jobs, the health contributor and the meters, a graceful stop with the context, and a runner
 * that can be switched off.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class JobRunnerAutoConfigurationIT {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobRunnerAutoConfiguration.class));

    static final Set<String> ran = ConcurrentHashMap.newKeySet();

    @Configuration(proxyBeanMethods = false)
    @Import(ReportHandler.class)
    static class Handlers {
        @Bean
        @JobType({"sendMail", "sendSms"})
        SimpleJobHandler messages() {
            return job -> ran.add(job.type() + " " + job.params().path("to").asText());
        }
    }

    @JobType("report")
    static class ReportHandler implements JobHandler, AutoCloseable {
        volatile boolean closedByTheRunner;

        @Override
        public void handle(Job job, JobContext context) {
            ran.add("report attempt " + context.attempt());
        }

        @Override
        public void close() {
            closedByTheRunner = true; // the context closes it too: only the runner must not
        }
    }

    @Test
    void handlerBeansRunJobsPushedThroughTheClientAndStopWithTheContext(TestRedis redis) {
        ran.clear();
        contexts.withUserConfiguration(Handlers.class).withPropertyValues(redisProperties(redis))
                .withPropertyValues("jobrunner.runner.groups.all.slots=2", "jobrunner.runner.groups.all.types=send*,report",
                        "jobrunner.limits.[*].attempts=2", "jobrunner.limits.sendMail.timeout=30s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JobRunnerClient client = context.getBean(JobRunnerClient.class);
                    SimpleMeterRegistry meters = new SimpleMeterRegistry();
                    context.getBean("jobRunnerMeters", MeterBinder.class).bindTo(meters);
                    client.producer().push(List.of(Job.of("sendMail", Map.of("to", "ada@example.org")),
                            Job.of("sendSms", Map.of("to", "+100")), Job.of("report")));
                    await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == 3);
                    assertThat(ran).containsExactlyInAnyOrder("sendMail ada@example.org", "sendSms +100", "report attempt 1");

                    Health health = context.getBean(JobRunnerHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("redis", "reachable");
                    await().atMost(Duration.ofSeconds(10)).until(() -> counter(meters, "sendMail") == 1.0);

                    JobRunnerLifecycle lifecycle = context.getBean(JobRunnerLifecycle.class);
                    JobRunner runner = lifecycle.runner();
                    ReportHandler report = context.getBean(ReportHandler.class);
                    context.stop(); // what closing the context does first
                    assertThat(lifecycle.isRunning()).isFalse();
                    assertThat(runner.status().state()).isEqualTo("STOPPED");
                    assertThat(report.closedByTheRunner).as("handler beans are the context's to close").isFalse();
                });
        assertThat(redis.client().inspector().counts(new QueueName("default", "sendMail")).total()).isZero();
    }

    @Test
    void withTheRunnerSwitchedOffTheApplicationOnlyPushes(TestRedis redis) {
        contexts.withUserConfiguration(Handlers.class).withPropertyValues(redisProperties(redis))
                .withPropertyValues("jobrunner.runner.enabled=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(JobRunnerClient.class).doesNotHaveBean(JobRunnerLifecycle.class);
                    Health health = context.getBean(JobRunnerHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("runner", "none in this application");
                });
    }

    @Test
    void badPropertiesStopTheStartWithTheKeyAndWhatIsAllowed(TestRedis redis) {
        contexts.withPropertyValues(redisProperties(redis)).withPropertyValues(
                        "jobrunner.runner.groups.mail.slots=-1", "jobrunner.runner.groups.mail.types=sendMail")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("jobrunner.runner.groups.mail.slots")
                        .hasMessageContaining("must be 0 (group disabled) to 4096, was -1"));
        contexts.withPropertyValues(redisProperties(redis)).withPropertyValues("jobrunner.limits.sendMail.backoff.initial=5s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("jobrunner.limits.sendMail.backoff: set both initial and max"));
        contexts.withPropertyValues("jobrunner.redis.uri=http://127.0.0.1:1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("jobrunner.redis.uri").hasMessageContaining("must start with redis://"));
    }

    @Test
    void aJobTypeBeanThatIsNoHandlerIsRefusedByName(TestRedis redis) {
        contexts.withPropertyValues(redisProperties(redis))
                .withUserConfiguration(NotAHandler.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("bean 'wrong'").hasMessageContaining("is annotated @JobType but is neither"));
    }

    @Configuration(proxyBeanMethods = false)
    static class NotAHandler {
        @Bean
        @JobType("x")
        StringBuilder wrong() {
            return new StringBuilder();
        }
    }

    private static double counter(SimpleMeterRegistry meters, String type) {
        FunctionCounter c = meters.find("jobrunner.jobs.succeeded").tag("type", type).functionCounter();
        return c == null ? -1 : c.count();
    }

    private static String[] redisProperties(TestRedis redis) {
        return new String[]{"jobrunner.redis.uri=" + redis.uri(), "jobrunner.redis.prefix=" + redis.prefix()};
    }
}
