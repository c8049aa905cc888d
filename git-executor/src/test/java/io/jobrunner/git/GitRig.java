package io.jobrunner.git;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutorServices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds git executors for tests the way the runner does (a config block through the factory, with
 * {@link ExecutorServices}), on a root and a Redis client of the test's own; closes them.
 */
final class GitRig implements AutoCloseable {

    final Path root;
    final JobRunnerClient client;
    final MetricRegistry metrics = new MetricRegistry();
    final GitExecutorFactory factory;
    private final List<GitExecutor> executors = new ArrayList<>();

    GitRig(JobRunnerClient client, Path root) {
        this(client, root, Map.of());
    }

    GitRig(JobRunnerClient client, Path root, Map<String, String> environment) {
        this.client = client;
        this.root = root;
        this.factory = new GitExecutorFactory(environment::get);
    }

    /** An executor of {@code kind} on the root, allowing file:// URLs, with extra HOCON settings. */
    GitExecutor executor(String kind, String extra) {
        return executor(kind, extra, GitExecutor.Events.NONE);
    }

    GitExecutor executor(String kind, String extra, GitExecutor.Events events) {
        String hocon = "kind = " + kind + "\nroot = \"" + root.toString().replace("\\", "\\\\") + "\"\nallowed-schemes = [file]\n" + extra;
        GitExecutor executor = factory.create(kind, ConfigFactory.parseString(hocon), "jobrunner.executors.test-" + kind,
                new ExecutorServices(client, metrics), events);
        executors.add(executor);
        return executor;
    }

    GitExecutor cloner() {
        return executor("git-clone", "");
    }

    GitExecutor syncer() {
        return executor("git-sync", "");
    }

    GitExecutor remover() {
        return executor("git-remove", "");
    }

    @Override
    public void close() {
        executors.forEach(GitExecutor::close);
    }
}
