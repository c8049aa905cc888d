package io.jobrunner.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean that runs jobs, and names the job types it runs. The bean is a
 * {@link io.jobrunner.runner.executor.JobHandler} or a {@link io.jobrunner.runner.executor.SimpleJobHandler}, on a
 * class or on a {@code @Bean} method:
 * <pre>{@code
 * @Component
 * @JobType("sendMail")
 * class WelcomeMail implements JobHandler { ... }
 *
 * @Bean
 * @JobType({"resizeImage", "resizeThumb"})
 * SimpleJobHandler resize(Images images) { return job -> images.resize(job.params()); }
 * }</pre>
 * A type may have one handler; {@code "*"} takes every type without its own.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface JobType {

    /** The job types this bean runs. */
    String[] value();
}
