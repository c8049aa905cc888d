package io.jobrunner.chron;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.JobContext;
import io.jobrunner.runner.executor.JobHandler;
import io.lettuce.core.ScriptOutputType;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A job that records, in Redis, that it runs: while it sleeps {@code sleepMs}, {@code "<pid>:<job id>"} is in the
 * set named by the job's {@code running} param, and {@code "<running>:max"} holds the most members the set ever
 * had. Runs in any process (in-process runners and child JVMs alike), so a test sees what runs across all of them.
 */
public class RunningProbeHandler implements JobHandler {

    private static final ConcurrentHashMap<String, JobRunnerClient> CLIENTS = new ConcurrentHashMap<>();
    private static final String START = """
            redis.call('SADD', KEYS[1], ARGV[1])
            local n = redis.call('SCARD', KEYS[1])
            if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
            return n""";

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        String uri = job.params().get("redis").asText();
        String running = job.params().get("running").asText();
        JobRunnerClient client = CLIENTS.computeIfAbsent(uri, u -> JobRunnerClient.connect(ClientSettings.of(u)));
        String member = ProcessHandle.current().pid() + ":" + job.id();
        client.redis().eval(START, ScriptOutputType.INTEGER, new String[]{running, running + ":max"}, member);
        try {
            Thread.sleep(job.params().get("sleepMs").asLong());
        } finally {
            client.redis().srem(running, member);
        }
    }
}
