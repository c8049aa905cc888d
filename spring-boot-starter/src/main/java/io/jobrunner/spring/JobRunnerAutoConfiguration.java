package io.jobrunner.spring;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * jobrunner in a Spring Boot application, from {@code jobrunner.*} properties:
 * <ol>
 *   <li>a {@link JobRunnerClient} bean (push with {@code client.producer()}), traced by the application's
 *       {@link JobTracing} bean if it has one, else {@link JobTracing#detect()};</li>
 *   <li>unless {@code jobrunner.runner.enabled=false}, a {@link JobRunnerLifecycle} that runs the {@link JobType}
 *       beans and stops gracefully with the context;</li>
 *   <li>with Actuator, the {@code jobRunner} health contributor; with Micrometer, the runner's metrics as meters
 *       ({@link DropwizardMeters}).</li>
 * </ol>
 * Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(JobRunnerProperties.class)
public class JobRunnerAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public JobRunnerClient jobRunnerClient(JobRunnerProperties properties, ObjectProvider<JobTracing> tracing) {
        return JobRunnerClient.builder()
                .settings(PropertiesMapping.clientSettings(properties))
                .tracing(tracing.getIfAvailable(JobTracing::detect))
                .connect();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "jobrunner.runner", name = "enabled", matchIfMissing = true)
    public JobRunnerLifecycle jobRunnerLifecycle(JobRunnerProperties properties, JobRunnerClient client, ApplicationContext context) {
        return new JobRunnerLifecycle(properties, client, context);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "jobRunnerHealthIndicator")
        public JobRunnerHealthIndicator jobRunnerHealthIndicator(JobRunnerClient client, ObjectProvider<JobRunnerLifecycle> lifecycle) {
            return new JobRunnerHealthIndicator(client, lifecycle.getIfAvailable());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(name = "jobRunnerMeters")
        public MeterBinder jobRunnerMeters(ObjectProvider<JobRunnerLifecycle> lifecycle) {
            JobRunnerLifecycle runner = lifecycle.getIfAvailable();
            return runner == null ? registry -> { } : new DropwizardMeters(runner.metrics());
        }
    }
}
