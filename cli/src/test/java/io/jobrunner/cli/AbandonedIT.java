package io.jobrunner.cli;

import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class AbandonedIT {

    private static final QueueName A = new QueueName("wiki1", "sendMail");
    private static final QueueName B = new QueueName("wiki2", "sendMail");
    private static final QueueName C = new QueueName("wiki1", "render");

    /** Abandons {@code n} jobs in the queue; returns their ids. */
    private static List<String> abandon(JobRunnerClient client, QueueName queue, int n) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of(queue.type()).inDomain(queue.domain()));
        }
        client.producer().push(jobs);
        ClaimBatch batch = client.consumer().claim(queue, n, Duration.ofMinutes(1)).join();
        List<String> ids = new ArrayList<>();
        for (ClaimedJob job : batch.jobs()) {
            client.consumer().abandon(queue, job.ref(), "broken").join();
            ids.add(job.id());
        }
        return ids;
    }

    @Test
    void retryMovesTheMatchingAbandonedJobsBackToReady(TestRedis redis) {
        JobRunnerClient client = redis.client();
        abandon(client, A, 3);
        abandon(client, B, 2);
        abandon(client, C, 1);

        Cli.Result r = Cli.on(redis).run("abandoned", "retry", "--type", "sendMail");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wiki1/sendMail: retried 3").contains("wiki2/sendMail: retried 2").contains("retried 5 abandoned jobs");
        QueueCounts a = client.inspector().counts(A);
        assertThat(a.ready()).isEqualTo(3);
        assertThat(a.abandoned()).isZero();
        assertThat(client.inspector().counts(B).ready()).isEqualTo(2);
        assertThat(client.inspector().counts(C).abandoned()).isEqualTo(1);
    }

    @Test
    void retryByIdMovesOnlyThatJob(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<String> ids = abandon(client, A, 3);

        Cli.Result r = Cli.on(redis).run("abandoned", "retry", "--type", "sendMail", "--domain", "wiki1", "--id", ids.get(1));

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("retried 1 abandoned job");
        assertThat(client.inspector().counts(A).ready()).isEqualTo(1);
        assertThat(client.inspector().counts(A).abandoned()).isEqualTo(2);
    }

    @Test
    void purgeDeletesTheMatchingAbandonedJobs(TestRedis redis) {
        JobRunnerClient client = redis.client();
        abandon(client, A, 2);
        abandon(client, C, 2);

        Cli.Result r = Cli.on(redis).run("abandoned", "purge", "--domain", "wiki1", "--type", "render");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wiki1/render: purged 2").contains("purged 2 abandoned jobs");
        assertThat(client.inspector().counts(C).total()).isZero();
        assertThat(client.inspector().counts(A).abandoned()).isEqualTo(2);
    }

    @Test
    void purgeDryRunCountsWhatWouldGoAndDeletesNothing(TestRedis redis) {
        JobRunnerClient client = redis.client();
        abandon(client, A, 2);
        abandon(client, C, 3);

        Cli.Result r = Cli.on(redis).run("abandoned", "purge", "--dry-run");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(A + ": would be purged 2").contains(C + ": would be purged 3")
                .contains("dry run: 5 abandoned jobs would be purged; nothing changed");
        assertThat(client.inspector().counts(A).abandoned()).isEqualTo(2);
        assertThat(client.inspector().counts(C).abandoned()).isEqualTo(3);
    }

    @Test
    void nothingToDoIsNotAnError(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("abandoned", "purge");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("purged 0 abandoned jobs (none matched)");
    }
}
