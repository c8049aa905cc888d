package io.jobrunner.bench.runner;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.ConfigLoader;

import java.time.Duration;
import java.util.Map;

/**
 * The real runner ({@link Runner} from runner-service), embedded in the bench JVM with a client of its own
 * (one connection, as a runner process has) and one group of N slots serving every type. Default settings
 * otherwise (claim-batch, buffer-time, refresh-interval, claim TTL); HTTP endpoint and JMX off. Two ways to
 * run the bench's no-op handler:
 * <ul>
 *   <li>{@code runner}: the {@code java} executor kind, configured as a user would
 *       ({@code executors."*" { kind = java, class = BenchJobHandler }});</li>
 *   <li>{@code runner-inline}: a {@link JobExecutor} registered in process, called on the slot thread, to
 *       show what the {@code java} kind's own cost is.</li>
 * </ul>
 */
public final class RealRunner implements RunnerUnderTest {

    private final boolean javaKind;
    private JobRunnerClient client;
    private Runner runner;

    public RealRunner(boolean javaKind) {
        this.javaKind = javaKind;
    }

    @Override
    public String name() {
        return javaKind ? "runner" : "runner-inline";
    }

    @Override
    public void start(ClientSettings settings, int slots, BenchHandler handler) {
        Config user = ConfigFactory.parseString("""
                jobrunner.runner {
                  groups.bench { slots = %d, types = ["*"] }
                  http.enabled = false
                  jmx.enabled = false
                  shutdown-grace = 10s
                }
                jobrunner.executors { "*" { kind = java, class = "%s" } }
                """.formatted(slots, BenchJobHandler.class.getName()));
        Config config = ConfigLoader.fromUserConfig(user, Map.of());
        client = JobRunnerClient.connect(settings);
        MetricRegistry metrics = new MetricRegistry();
        if (javaKind) {
            BenchJobHandler.route(handler);
            runner = Runner.create(config, client, metrics);
        } else {
            JobExecutor inline = new JobExecutor() {
                @Override
                public ExecutionResult execute(ExecutionContext context) {
                    handler.handle(context.job());
                    return ExecutionResult.success();
                }
            };
            runner = Runner.create(config, client, metrics, ExecutorLookup.of(Map.of("*", inline)));
        }
        try {
            runner.start();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public void stop() {
        if (runner != null) {
            runner.stop(Duration.ofSeconds(10));
            runner = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        if (javaKind) {
            BenchJobHandler.route(job -> { });
        }
    }
}
