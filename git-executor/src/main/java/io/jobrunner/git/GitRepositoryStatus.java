package io.jobrunner.git;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this runner process last did to each working copy under one root, for the runner's {@code /status}
 * endpoint: per repository the URL, the ref, the commit, when it was last cloned or synced and by which
 * operation. Shared by the git executors of one root. It is this process's view (another runner sharing
 * the root records its own), kept in memory only; the working copies on disk are the truth.
 * <ol>
 *   <li>{@link #recordUpdate}: after a clone, a sync, or a clone found already there;</li>
 *   <li>{@link #recordRemoved}: after a removal (the entry goes);</li>
 *   <li>{@link #repositories()} and {@link #snapshot()}: immutable copies sorted by name, the latter in plain
 *       JSON types (strings), ready to be rendered.</li>
 * </ol>
 */
public final class GitRepositoryStatus {

    /**
     * One working copy's last known state.
     *
     * @param name       the working copy's name under the root
     * @param url        the repository URL (no credentials)
     * @param ref        what it was moved to, e.g. {@code branch main}, {@code tag v1.2}, {@code commit 1a2b...}
     * @param commit     the commit checked out (40 hex)
     * @param lastSyncAt when it was last cloned or synced
     * @param operation  {@code clone} or {@code sync}
     */
    public record RepositoryState(String name, String url, String ref, String commit, Instant lastSyncAt, String operation) {
    }

    private final String root;
    private final Map<String, RepositoryState> repositories = new ConcurrentHashMap<>();

    public GitRepositoryStatus(String root) {
        this.root = root;
    }

    /** The directory of the working copies. */
    public String root() {
        return root;
    }

    void recordUpdate(RepositoryState state) {
        repositories.put(state.name(), state);
    }

    void recordRemoved(String name) {
        repositories.remove(name);
    }

    /** The state of one working copy, or null when this process has not touched it. */
    public RepositoryState repository(String name) {
        return repositories.get(name);
    }

    /** Every working copy this process has cloned or synced, by name. */
    public SortedMap<String, RepositoryState> repositories() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(repositories));
    }

    /**
     * {@code {root, repositories: {name: {url, ref, commit, lastSyncAt (ISO-8601), operation}}}}, in plain
     * strings and maps, for a JSON status page.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> byName = new LinkedHashMap<>();
        repositories().forEach((name, state) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("url", state.url());
            entry.put("ref", state.ref());
            entry.put("commit", state.commit());
            entry.put("lastSyncAt", state.lastSyncAt().toString());
            entry.put("operation", state.operation());
            byName.put(name, Collections.unmodifiableMap(entry));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root", root);
        out.put("repositories", Collections.unmodifiableMap(byName));
        return Collections.unmodifiableMap(out);
    }
}
