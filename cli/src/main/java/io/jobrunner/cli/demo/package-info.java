/**
 * The quickstart's demo job handlers ({@code java} executor kind): short sleeps that look like work, one
 * type that fails once then succeeds, and a low-priority type. Run in-process by {@code bin/jobrunner
 * quickstart}; also a template for writing a {@link io.jobrunner.runner.executor.JobHandler}.
 */
package io.jobrunner.cli.demo;
