package io.jobrunner.spring;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.runner.JobRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jobrunner.*} in {@code application.yml}: the same settings as the daemon's config file, with the same
 * defaults and the same checks, run when the properties are bound (a bad value stops the application at start with
 * the key and what is allowed). A value left unset keeps the daemon's default. In limits, {@code "[*]"} is the
 * default for every other type (the brackets keep the {@code *}, and the dots of a type such as {@code "[a.b]"}).
 */
@ConfigurationProperties("jobrunner")
public class JobRunnerProperties implements Validator {

    private final Redis redis = new Redis();
    private final Runner runner = new Runner();
    private final Map<String, TypeLimits> limits = new LinkedHashMap<>();

    public Redis getRedis() {
        return redis;
    }

    public Runner getRunner() {
        return runner;
    }

    public Map<String, TypeLimits> getLimits() {
        return limits;
    }

    @Override
    public boolean supports(Class<?> type) {
        return JobRunnerProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        try {
            PropertiesMapping.apply((JobRunnerProperties) target, JobRunner.builder()).check();
            PropertiesMapping.clientSettings((JobRunnerProperties) target);
        } catch (IllegalArgumentException e) {
            errors.reject("jobrunner.invalid", e.getMessage());
        }
    }

    /** {@code jobrunner.redis}. */
    public static class Redis {
        private String uri = ClientSettings.DEFAULT_URI;
        private String prefix = ClientSettings.DEFAULT_PREFIX;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(10);
        private DataSize maxPayload = DataSize.ofMegabytes(1);
        private int batchSize = ClientSettings.DEFAULT_BATCH_SIZE;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public DataSize getMaxPayload() {
            return maxPayload;
        }

        public void setMaxPayload(DataSize maxPayload) {
            this.maxPayload = maxPayload;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }
    }

    /** {@code jobrunner.runner}: whether this application runs jobs, and how. */
    public static class Runner {
        private boolean enabled = true;
        private String id;
        private final Map<String, Group> groups = new LinkedHashMap<>();
        private Duration shutdownGrace;
        private Integer claimBatch;
        private Duration bufferTime;
        private Duration refreshInterval;
        private Duration shareWindow;
        private final Concurrency concurrency = new Concurrency();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public Map<String, Group> getGroups() {
            return groups;
        }

        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        public Integer getClaimBatch() {
            return claimBatch;
        }

        public void setClaimBatch(Integer claimBatch) {
            this.claimBatch = claimBatch;
        }

        public Duration getBufferTime() {
            return bufferTime;
        }

        public void setBufferTime(Duration bufferTime) {
            this.bufferTime = bufferTime;
        }

        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }

        public Duration getShareWindow() {
            return shareWindow;
        }

        public void setShareWindow(Duration shareWindow) {
            this.shareWindow = shareWindow;
        }

        public Concurrency getConcurrency() {
            return concurrency;
        }
    }

    /** {@code jobrunner.runner.groups.<name>}. */
    public static class Group {
        private int slots = 1;
        private List<String> types = new ArrayList<>();
        private List<String> exclude = new ArrayList<>();
        private List<String> lowPriority = new ArrayList<>();
        private Double highShare;

        public int getSlots() {
            return slots;
        }

        public void setSlots(int slots) {
            this.slots = slots;
        }

        public List<String> getTypes() {
            return types;
        }

        public void setTypes(List<String> types) {
            this.types = types;
        }

        public List<String> getExclude() {
            return exclude;
        }

        public void setExclude(List<String> exclude) {
            this.exclude = exclude;
        }

        public List<String> getLowPriority() {
            return lowPriority;
        }

        public void setLowPriority(List<String> lowPriority) {
            this.lowPriority = lowPriority;
        }

        public Double getHighShare() {
            return highShare;
        }

        public void setHighShare(Double highShare) {
            this.highShare = highShare;
        }
    }

    /** {@code jobrunner.runner.concurrency}: caps on jobs at once by type or domain, {@code "[*]"} for each other. */
    public static class Concurrency {
        private final Map<String, Integer> perType = new LinkedHashMap<>();
        private final Map<String, Integer> perDomain = new LinkedHashMap<>();

        public Map<String, Integer> getPerType() {
            return perType;
        }

        public Map<String, Integer> getPerDomain() {
            return perDomain;
        }
    }

    /** {@code jobrunner.limits.<type>}. */
    public static class TypeLimits {
        private Integer attempts;
        private Duration timeout;
        private Duration claimTtl;
        private final Backoff backoff = new Backoff();

        public Integer getAttempts() {
            return attempts;
        }

        public void setAttempts(Integer attempts) {
            this.attempts = attempts;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getClaimTtl() {
            return claimTtl;
        }

        public void setClaimTtl(Duration claimTtl) {
            this.claimTtl = claimTtl;
        }

        public Backoff getBackoff() {
            return backoff;
        }
    }

    /** {@code jobrunner.limits.<type>.backoff}: both or neither. */
    public static class Backoff {
        private Duration initial;
        private Duration max;

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }
    }
}
