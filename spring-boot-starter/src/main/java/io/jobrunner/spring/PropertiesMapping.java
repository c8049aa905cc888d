package io.jobrunner.spring;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.runner.JobRunnerBuilder;

import java.time.Duration;
import java.util.Map;

/** Maps {@link JobRunnerProperties} onto the plain-Java builders, leaving unset values at the daemon's defaults. */
final class PropertiesMapping {

    private PropertiesMapping() {
    }

    /** The client's settings; a bad value throws {@link IllegalArgumentException} naming {@code jobrunner.redis}. */
    static ClientSettings clientSettings(JobRunnerProperties properties) {
        JobRunnerProperties.Redis redis = properties.getRedis();
        long maxPayload = redis.getMaxPayload() == null ? -1 : redis.getMaxPayload().toBytes();
        try {
            return new ClientSettings(redis.getUri(), redis.getPrefix(), redis.getConnectTimeout(), redis.getCommandTimeout(),
                    (int) Math.min(Integer.MAX_VALUE, maxPayload), redis.getBatchSize());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("jobrunner.redis: " + e.getMessage(), e);
        }
    }

    /** Applies the runner's settings, groups and limits to {@code builder}; returns it. */
    static JobRunnerBuilder apply(JobRunnerProperties properties, JobRunnerBuilder builder) {
        builder.redis(properties.getRedis().getUri()).prefix(properties.getRedis().getPrefix());
        JobRunnerProperties.Runner runner = properties.getRunner();
        if (runner.getId() != null) {
            builder.id(runner.getId());
        }
        runner.getGroups().forEach((name, g) -> builder.group(name, group -> {
            group.slots(g.getSlots()).types(g.getTypes()).exclude(g.getExclude().toArray(String[]::new))
                    .lowPriority(g.getLowPriority().toArray(String[]::new));
            if (g.getHighShare() != null) {
                group.highShare(g.getHighShare());
            }
        }));
        ifSet(runner.getShutdownGrace(), builder::shutdownGrace);
        ifSet(runner.getBufferTime(), builder::bufferTime);
        ifSet(runner.getRefreshInterval(), builder::refreshInterval);
        ifSet(runner.getShareWindow(), builder::shareWindow);
        if (runner.getClaimBatch() != null) {
            builder.claimBatch(runner.getClaimBatch());
        }
        runner.getConcurrency().getPerType().forEach(builder::concurrencyPerType);
        runner.getConcurrency().getPerDomain().forEach(builder::concurrencyPerDomain);
        for (Map.Entry<String, JobRunnerProperties.TypeLimits> e : properties.getLimits().entrySet()) {
            limits(builder, e.getKey(), e.getValue());
        }
        return builder;
    }

    private static void limits(JobRunnerBuilder builder, String type, JobRunnerProperties.TypeLimits limits) {
        if (limits.getAttempts() != null) {
            builder.attempts(type, limits.getAttempts());
        }
        if (limits.getTimeout() != null) {
            builder.timeout(type, limits.getTimeout());
        }
        if (limits.getClaimTtl() != null) {
            builder.claimTtl(type, limits.getClaimTtl());
        }
        JobRunnerProperties.Backoff backoff = limits.getBackoff();
        if (backoff.getInitial() != null || backoff.getMax() != null) {
            if (backoff.getInitial() == null || backoff.getMax() == null) {
                throw new IllegalArgumentException("jobrunner.limits." + type + ".backoff: set both initial and max, e.g. { initial: 5s, max: 10m }");
            }
            builder.backoff(type, backoff.getInitial(), backoff.getMax());
        }
    }

    private static void ifSet(Duration value, java.util.function.Consumer<Duration> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
