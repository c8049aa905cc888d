package io.jobrunner.spring;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.JobRunner;
import io.jobrunner.runner.JobRunnerBuilder;
import io.jobrunner.runner.executor.JobHandler;
import io.jobrunner.runner.executor.SimpleJobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import java.util.Map;
import java.util.TreeMap;

/**
 * The runner as part of the application context.
 * <ol>
 *   <li>on start (after every singleton is ready) finds the {@link JobType} beans and starts a {@link JobRunner}
 *       on the application's client with them; with no such bean it starts nothing and says so;</li>
 *   <li>on stop (context close, before the client is closed) stops it gracefully: no more claims, running jobs
 *       get the shutdown grace to finish, the rest are given back (attempt not counted); the call blocks until then;</li>
 *   <li>keeps the runner's metric registry for the Micrometer bridge from the start, so meters appear as the
 *       runner registers them.</li>
 * </ol>
 * Handler beans stay the context's: the runner never closes them.
 */
public class JobRunnerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunnerLifecycle.class);

    private final JobRunnerProperties properties;
    private final JobRunnerClient client;
    private final ApplicationContext context;
    private final MetricRegistry metrics = new MetricRegistry();
    private volatile JobRunner runner;

    public JobRunnerLifecycle(JobRunnerProperties properties, JobRunnerClient client, ApplicationContext context) {
        this.properties = properties;
        this.client = client;
        this.context = context;
    }

    @Override
    public synchronized void start() {
        Map<String, Object> handlers = new TreeMap<>(context.getBeansWithAnnotation(JobType.class));
        if (handlers.isEmpty()) {
            log.info("jobrunner: no @JobType beans, so this application runs no jobs (it can still push them)");
            return;
        }
        JobRunnerBuilder builder = PropertiesMapping.apply(properties, JobRunner.builder()).client(client).metrics(metrics);
        handlers.forEach((name, bean) -> {
            JobType types = context.findAnnotationOnBean(name, JobType.class);
            JobHandler handler = asHandler(name, bean);
            for (String type : types.value()) {
                builder.handler(type, handler);
            }
        });
        runner = builder.start();
    }

    @Override
    public synchronized void stop() {
        JobRunner running = runner;
        if (running != null) {
            running.stop();
            runner = null;
        }
    }

    @Override
    public boolean isRunning() {
        return runner != null;
    }

    /** The running runner, or null (not started, no handlers, or stopped). */
    public JobRunner runner() {
        return runner;
    }

    /** The runner's metrics (Dropwizard), bridged to Micrometer when the application has it. */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** A view of the bean that is not {@link AutoCloseable}: the context, not the runner, closes its beans. */
    private static JobHandler asHandler(String name, Object bean) {
        if (bean instanceof JobHandler handler) {
            return handler::handle;
        }
        if (bean instanceof SimpleJobHandler simple) {
            return (job, context) -> simple.handle(job);
        }
        throw new IllegalStateException("bean '" + name + "' (" + bean.getClass().getName() + ") is annotated @JobType but is"
                + " neither a " + JobHandler.class.getName() + " nor a " + SimpleJobHandler.class.getName());
    }
}
