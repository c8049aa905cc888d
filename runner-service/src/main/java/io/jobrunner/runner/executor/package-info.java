/**
 * Executors: how a runner runs one job of a type.
 *
 * <p>{@link io.jobrunner.runner.executor.ExecutorRegistry} reads {@code jobrunner.executors}: one block per
 * job type, {@code "*"} (quoted) for the default, each with a {@code kind} built by an
 * {@link io.jobrunner.runner.executor.ExecutorFactory} found with {@link java.util.ServiceLoader}. Every
 * block is validated when the runner starts; an unknown or bad key fails with its full HOCON path.
 *
 * <table>
 *   <caption>Keys by kind (besides {@code kind})</caption>
 *   <tr><th>kind</th><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>java</td><td>class</td><td>required</td><td>a public {@link io.jobrunner.runner.executor.JobHandler}
 *       with a public no-argument constructor; one shared instance</td></tr>
 *   <tr><td>java</td><td>plugins-dir</td><td>none</td><td>a directory whose {@code *.jar} are searched after the
 *       runner's classpath</td></tr>
 *   <tr><td>java</td><td>stop-grace</td><td>5s</td><td>after cancellation, how long the interrupted handler may
 *       take to return before it is left running, the job released and its slot replaced</td></tr>
 *   <tr><td>command</td><td>argv</td><td>required</td><td>program and arguments, no shell; {@code {type}},
 *       {@code {domain}}, {@code {id}}, {@code {attempt}} replaced in each</td></tr>
 *   <tr><td>command</td><td>env</td><td>none</td><td>variables added to the runner's environment</td></tr>
 *   <tr><td>command</td><td>workdir</td><td>the runner's</td><td>an existing directory to run in</td></tr>
 *   <tr><td>command</td><td>max-output</td><td>64k</td><td>bytes kept per stream (the last ones), 0 to 16m</td></tr>
 *   <tr><td>command</td><td>stop-grace</td><td>5s</td><td>after cancellation, time between SIGTERM and SIGKILL
 *       to the process tree</td></tr>
 *   <tr><td>http</td><td>url</td><td>required</td><td>http:// or https:// URL the job is POSTed to</td></tr>
 *   <tr><td>http</td><td>headers</td><td>none</td><td>extra request headers (not X-Job-*, not restricted ones)</td></tr>
 *   <tr><td>http</td><td>connect-timeout</td><td>5s</td><td>connection timeout; the request is limited by the
 *       job's timeout</td></tr>
 *   <tr><td>http</td><td>max-output</td><td>64k</td><td>bytes of the response body kept (the first ones), 0 to 16m</td></tr>
 * </table>
 */
package io.jobrunner.runner.executor;
