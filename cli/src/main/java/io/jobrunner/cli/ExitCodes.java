package io.jobrunner.cli;

import com.typesafe.config.ConfigException;
import io.jobrunner.client.InvalidJobException;
import io.jobrunner.client.InvalidScheduleException;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.DaemonLifecycle;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * The exit codes of every command (the daemons' own, {@link DaemonLifecycle}), and the one place where failures
 * become them:
 * <ul>
 *   <li>{@link #OK} 0: done;</li>
 *   <li>{@link #FAILURE} 1: the command ran and failed (Redis unreachable, rejected jobs, a job failed);</li>
 *   <li>{@link #USAGE} 2: bad arguments or a bad config (the message names the option or the HOCON path
 *       and what is allowed).</li>
 * </ul>
 * Errors are one line on stderr; set {@code JOBRUNNER_DEBUG=1} for the stack trace.
 */
public final class ExitCodes implements IExecutionExceptionHandler, IParameterExceptionHandler {

    public static final int OK = DaemonLifecycle.EXIT_OK;
    public static final int FAILURE = DaemonLifecycle.EXIT_FAILURE;
    public static final int USAGE = DaemonLifecycle.EXIT_CONFIG;

    private final CliEnvironment env;

    ExitCodes(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = env.err();
        err.println("error: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = env.err();
        int code;
        if (ex instanceof ConfigException config) {
            err.println("config error: " + config.getMessage());
            code = USAGE;
        } else if (ex instanceof InvalidJobException || ex instanceof InvalidScheduleException) {
            err.println("error: " + ex.getMessage());
            code = USAGE;
        } else if (ex instanceof JobQueueException queue) {
            err.println("error: " + describe(queue));
            code = FAILURE;
        } else if (ex instanceof IllegalArgumentException bad && isUriProblem(bad)) {
            err.println("config error: " + bad.getMessage());
            code = USAGE;
        } else {
            err.println("error: " + (ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage()));
            code = FAILURE;
        }
        if (env.getenv("JOBRUNNER_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        return code;
    }

    private static String describe(JobQueueException e) {
        String message = e.getMessage();
        int detail = message.indexOf("): ");
        String what = detail < 0 ? message : message.substring(detail + 3);
        return switch (e.code()) {
            case REDIS_UNAVAILABLE -> "Redis is not reachable: " + what
                    + " (is redis-server running? set --redis, jobrunner.redis.uri or JOBRUNNER_REDIS_URI)";
            case REDIS_AUTH -> "Redis refused the credentials (authentication failed, Redis itself is reachable): " + what
                    + " (check the user and password in --redis, jobrunner.redis.uri or JOBRUNNER_REDIS_URI: redis://user:password@host:port)";
            case REDIS_TIMEOUT -> "Redis did not answer in time (" + e.operation() + "): " + what;
            default -> message;
        };
    }

    private static boolean isUriProblem(IllegalArgumentException e) {
        return e.getMessage() != null && e.getMessage().startsWith("redis uri");
    }

    /** For messages: a URI with its password hidden. */
    static String masked(String uri) {
        return JobRunnerClient.maskPassword(uri);
    }
}
