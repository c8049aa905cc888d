package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.git.GitRepositoryStatus.RepositoryState;
import io.jobrunner.git.UrlPolicy.RemoteUrl;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.SubmoduleConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.TagOpt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything one git job needs while it holds its repository's lock, and the JGit steps the three
 * operations share.
 * <ol>
 *   <li>opens a working copy exactly at {@code <root>/<name>} (never searching parent directories), only
 *       when its {@code .git} is a real directory;</li>
 *   <li>hardens its config: {@code core.symlinks = false}, so checked-out files can never be links that
 *       lead out of the root; submodules are never fetched (their URLs would bypass the URL policy);</li>
 *   <li>fetches every branch and tag of {@code origin} with the job's progress monitor, the transport
 *       timeout (bounded by the job's) and the host's credentials;</li>
 *   <li>logs (redacted) and records the repository's state.</li>
 * </ol>
 */
final class GitRun {

    static final String[] FETCH_SPECS = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"};

    final ExecutionContext context;
    final GitJobParams params;
    final Path dir;
    final GitSettings settings;
    final WorkingCopies copies;
    final UrlPolicy policy;
    final JobProgressMonitor monitor;
    final Redactor redactor;
    private final GitRepositoryStatus status;
    private final Clock clock;

    GitRun(ExecutionContext context, GitJobParams params, Path dir, GitSettings settings, WorkingCopies copies,
           UrlPolicy policy, JobProgressMonitor monitor, Redactor redactor, GitRepositoryStatus status, Clock clock) {
        this.context = context;
        this.params = params;
        this.dir = dir;
        this.settings = settings;
        this.copies = copies;
        this.policy = policy;
        this.monitor = monitor;
        this.redactor = redactor;
        this.status = status;
        this.clock = clock;
    }

    String name() {
        return params.name();
    }

    /** True when {@code dir} holds a working copy: a real {@code .git} directory, not a link or a file. */
    static boolean isWorkingCopy(Path dir) {
        return Files.isDirectory(dir.resolve(Constants.DOT_GIT), LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens the working copy at {@code dir}; the caller closes it. */
    static Git open(Path dir) throws IOException {
        Repository repo = new FileRepositoryBuilder()
                .setGitDir(dir.resolve(Constants.DOT_GIT).toFile())
                .setWorkTree(dir.toFile())
                .setMustExist(true)
                .build();
        return Git.wrap(repo);
    }

    /** Sets {@code origin}'s URL and fetch specs, and the safe settings; saves the config. */
    static void configure(Repository repo, String originUrl) throws IOException {
        StoredConfig config = repo.getConfig();
        if (originUrl != null) {
            config.setString(ConfigConstants.CONFIG_REMOTE_SECTION, "origin", ConfigConstants.CONFIG_KEY_URL, originUrl);
            config.setStringList(ConfigConstants.CONFIG_REMOTE_SECTION, "origin", "fetch", java.util.List.of(FETCH_SPECS));
        }
        config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_SYMLINKS, false);
        config.save();
    }

    /** {@code origin}'s URL as stored in the working copy, or null. */
    static String originUrl(Repository repo) {
        return repo.getConfig().getString(ConfigConstants.CONFIG_REMOTE_SECTION, "origin", ConfigConstants.CONFIG_KEY_URL);
    }

    /** True when two URLs name the same repository (ignoring user-info, a trailing slash and {@code .git}). */
    static boolean sameRepository(String a, String b) {
        return normal(a).equals(normal(b));
    }

    /** The commit HEAD is at, or null for an empty repository. */
    static ObjectId head(Repository repo) throws IOException {
        return repo.resolve(Constants.HEAD + "^{commit}");
    }

    /**
     * Fetches all branches and tags of {@code url} into the working copy. The checked URL itself is fetched,
     * not the remote's name, so no {@code url.insteadOf} rule of a git config can send it elsewhere.
     */
    FetchResult fetch(Git git, RemoteUrl url) throws GitAPIException {
        return git.fetch()
                .setRemote(url.uri().toString())
                .setRefSpecs(FETCH_SPECS)
                .setTagOpt(TagOpt.NO_TAGS)
                .setRemoveDeletedRefs(true)
                .setRecurseSubmodules(SubmoduleConfig.FetchRecurseSubmodulesMode.NO)
                .setProgressMonitor(monitor)
                .setTimeout(timeoutSeconds())
                .setCredentialsProvider(settings.credentials().providerFor(url.host()))
                .call();
    }

    /** The transport timeout in whole seconds: the configured one, bounded by the job's timeout. */
    int timeoutSeconds() {
        Duration limit = settings.transportTimeout();
        Duration job = context.timeout();
        if (job != null && !job.isZero() && !job.isNegative() && job.compareTo(limit) < 0) {
            limit = job;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (limit.toMillis() + 999) / 1000));
    }

    /** Fails with a retry when the run was stopped (JGit does not check everywhere). */
    void checkNotStopped(String what) throws GitJobException {
        String reason = monitor.stopReason();
        if (reason != null) {
            throw GitJobException.retry(what + " stopped: " + reason + "; will retry", null);
        }
    }

    void recordUpdate(String url, RefTarget target, ObjectId commit, String operation) {
        status.recordUpdate(new RepositoryState(name(), redactor.redact(url), target.describe(), commit.name(), clock.instant(), operation));
    }

    void recordRemoved() {
        status.recordRemoved(name());
    }

    void info(String message) {
        context.log().info("{}", redactor.redact(message));
    }

    private static String normal(String url) {
        String out = Redactor.stripUserInfo(url == null ? "" : url.trim());
        out = out.replaceFirst("^([^@/:]+@)", "");
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        if (out.endsWith(".git")) {
            out = out.substring(0, out.length() - 4);
        }
        return out;
    }
}
