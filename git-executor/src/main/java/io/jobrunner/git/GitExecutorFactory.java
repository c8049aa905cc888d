package io.jobrunner.git;

import com.typesafe.config.Config;
import io.jobrunner.runner.executor.ExecutorFactory;
import io.jobrunner.runner.executor.ExecutorServices;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.metrics.MetricSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Builds the built-in git executors: {@code git-clone}, {@code git-sync}, {@code git-remove} (found by
 * {@link java.util.ServiceLoader}).
 * <ol>
 *   <li>validates the block ({@link GitSettings}), failing start with the HOCON path;</li>
 *   <li>gives the executors of one root one shared {@link GitRepositoryStatus} ({@link #statuses()});</li>
 *   <li>keeps JGit away from the user's and system's git config and from HTTP redirects ({@link IsolatedGitConfig}),
 *       and warns at start when {@code allowed-hosts} is empty (any host);</li>
 *   <li>needs the runner's {@link ExecutorServices} (the Redis client for the repository locks, the metric
 *       registry): the three-argument {@code create} refuses; {@link #validate} checks a block without them.</li>
 * </ol>
 */
public final class GitExecutorFactory implements ExecutorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GitExecutorFactory.class);

    private final Function<String, String> environment;
    private final Map<Path, GitRepositoryStatus> statuses = new ConcurrentHashMap<>();

    public GitExecutorFactory() {
        this(System::getenv);
    }

    /** With another environment (tests). */
    GitExecutorFactory(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Set<String> kinds() {
        return Set.of("git-clone", "git-sync", "git-remove");
    }

    /** Checks the block ({@link GitSettings}) and the kind; builds nothing. */
    @Override
    public void validate(String kind, Config config, String path) {
        operation(kind);
        GitSettings.from(config, path, environment);
    }

    /** Refuses after validating: git executors need the runner's Redis client for their repository locks. */
    @Override
    public JobExecutor create(String kind, Config config, String path) {
        validate(kind, config, path);
        throw new IllegalStateException("executor " + path + " (kind " + kind + ") needs the runner's Redis client for its "
                + "repository locks: build it with create(kind, config, path, ExecutorServices)");
    }

    @Override
    public List<MetricSpec> metricSpecs() {
        return List.of(MetricSpec.histogram(GitExecutor.OPERATION_SECONDS, "Time a git executor operation took, in seconds.", "operation"));
    }

    @Override
    public JobExecutor create(String kind, Config config, String path, ExecutorServices services) {
        return create(kind, config, path, services, GitExecutor.Events.NONE);
    }

    GitExecutor create(String kind, Config config, String path, ExecutorServices services, GitExecutor.Events events) {
        GitOperation operation = operation(kind);
        GitSettings settings = GitSettings.from(config, path, environment);
        IsolatedGitConfig.install();
        if (settings.allowedHosts().isEmpty()) {
            LOG.warn("{}: allowed-hosts is empty, so jobs may clone and fetch from any host; list the hosts this executor"
                    + " may use (allowed-hosts = [\"github.com\"])", path);
        }
        if (settings.credentials().environmentUnused()) {
            LOG.warn("{}: git credentials are set in the environment but allowed-hosts is empty (any host): they are "
                    + "never sent; list the hosts in allowed-hosts or configure credentials per host", path);
        }
        GitRepositoryStatus status = statuses.computeIfAbsent(settings.root(), root -> new GitRepositoryStatus(root.toString()));
        return new GitExecutor(operation, settings, services.client(), services.metrics(), status, events);
    }

    private GitOperation operation(String kind) {
        return switch (kind) {
            case "git-clone" -> new CloneOperation();
            case "git-sync" -> new SyncOperation();
            case "git-remove" -> new RemoveOperation();
            default -> throw new IllegalArgumentException("kind " + kind + " is not one of " + kinds());
        };
    }

    /** The status of each root this factory has built executors for. */
    public Map<Path, GitRepositoryStatus> statuses() {
        return Collections.unmodifiableMap(new TreeMap<>(statuses));
    }
}
