package io.jobrunner.mediawiki.runner;

import java.time.Duration;
import java.util.List;

/**
 * How one batch process (or request) ended.
 *
 * @param command  what ran (argv, the shell command, or the URL), for the log
 * @param pid      the process id (0 for http)
 * @param exitCode the exit code (http: the status), -1 when it never started or was killed
 * @param result   what its output said (never null; {@code parsed} false when it printed no JSON object)
 * @param timedOut killed at its process timeout
 * @param startError why it could not start, or null
 * @param stderr   the tail of its stderr
 */
record BatchRun(List<String> command, long pid, int exitCode, RunJobsResult result, boolean timedOut, String startError,
                String stderr, Duration elapsed) {

    boolean succeeded() {
        return startError == null && !timedOut && exitCode == 0 && result.parsed();
    }
}
