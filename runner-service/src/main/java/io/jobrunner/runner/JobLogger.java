package io.jobrunner.runner;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

import java.util.Arrays;

/**
 * The logger an executor gets ({@link io.jobrunner.runner.executor.ExecutionContext#log()}): every line
 * carries the job's queue and id in the MDC ({@code queue}, {@code jobId}), from whatever thread it is
 * written (an executor's output reader, a callback), not only from the slot thread.
 */
final class JobLogger extends LegacyAbstractLogger {

    static final String MDC_QUEUE = "queue";
    static final String MDC_JOB = "jobId";

    private final transient Logger delegate;
    private final String queue;
    private final String jobId;

    JobLogger(Logger delegate, String queue, String jobId) {
        this.delegate = delegate;
        this.name = delegate.getName();
        this.queue = queue;
        this.jobId = jobId;
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return JobLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        Object[] args = arguments == null ? new Object[0] : arguments;
        if (throwable != null) {
            args = Arrays.copyOf(args, args.length + 1);
            args[args.length - 1] = throwable;
        }
        String oldQueue = MDC.get(MDC_QUEUE);
        String oldJob = MDC.get(MDC_JOB);
        MDC.put(MDC_QUEUE, queue);
        MDC.put(MDC_JOB, jobId);
        try {
            switch (level) {
                case TRACE -> delegate.trace(marker, pattern, args);
                case DEBUG -> delegate.debug(marker, pattern, args);
                case INFO -> delegate.info(marker, pattern, args);
                case WARN -> delegate.warn(marker, pattern, args);
                default -> delegate.error(marker, pattern, args);
            }
        } finally {
            restore(MDC_QUEUE, oldQueue);
            restore(MDC_JOB, oldJob);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
