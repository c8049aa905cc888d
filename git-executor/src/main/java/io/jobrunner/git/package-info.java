/**
 * The git executors: working copies of git repositories under a configured root,
 * managed by jobs, with JGit only (no git binary).
 *
 * <table>
 *   <caption>Kinds and their job params</caption>
 *   <tr><th>kind</th><th>params</th><th>does</th></tr>
 *   <tr><td>git-clone</td><td>{@code url}, {@code ref?}, {@code name?}</td><td>clones into {@code <root>/<name>}
 *       (name derived from the URL when absent) at the ref (default: the remote's default branch); a second
 *       identical job succeeds without cloning again</td></tr>
 *   <tr><td>git-sync</td><td>{@code name | url}, {@code ref?}</td><td>fetches and moves the working copy to the ref
 *       (branch, tag or commit; default: the branch checked out); the result names the old and new commit</td></tr>
 *   <tr><td>git-remove</td><td>{@code name | url}</td><td>deletes the working copy; succeeds when it is gone</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Keys of an executor block (besides {@code kind}); defaults in {@code git-executor-defaults.conf}</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>root</td><td>required</td><td>absolute directory of the working copies (created if absent)</td></tr>
 *   <tr><td>allowed-schemes</td><td>[https, ssh]</td><td>of https, http, ssh, git, file; {@code file} only when
 *       listed (ssh needs org.eclipse.jgit.ssh.apache on the classpath)</td></tr>
 *   <tr><td>allowed-hosts</td><td>[]</td><td>hosts jobs may name; empty = any</td></tr>
 *   <tr><td>credentials</td><td>{}</td><td>{@code "host" { username, password | password-env }}</td></tr>
 *   <tr><td>username-env, password-env</td><td>GIT_USERNAME, GIT_PASSWORD</td><td>environment credentials, sent
 *       only to hosts listed in allowed-hosts</td></tr>
 *   <tr><td>discard-local-changes</td><td>false</td><td>git-sync may discard local changes (else a dirty working
 *       copy is a permanent failure)</td></tr>
 *   <tr><td>lock-wait</td><td>5s</td><td>wait for the per-repository lock before asking for a retry</td></tr>
 *   <tr><td>lock-ttl</td><td>60s</td><td>TTL of the lock in Redis ({@code <prefix>:lock:git:<name>}), renewed every
 *       third</td></tr>
 *   <tr><td>transport-timeout</td><td>60s</td><td>network read timeout, bounded by the job's timeout</td></tr>
 * </table>
 *
 * <p>Outcomes: bad params, a name outside the root, a disallowed scheme or host, an unknown ref, a refused
 * login, a dirty working copy: permanent failures. Lock contention, network errors, cancellation and
 * timeouts, a working copy not cloned yet: retries. Metrics: timers {@code git.clone}, {@code git.sync},
 * {@code git.remove}; per-repository state in {@link io.jobrunner.git.GitRepositoryStatus}.
 */
package io.jobrunner.git;
