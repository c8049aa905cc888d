package io.jobrunner.cli;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.ProcessRecord;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operators' commands: job show/delete/run-now/retry/cancel, pause/resume, runners, abandoned filters, paging. */
@ExtendWith(RedisExtension.class)
class OperatorCommandsIT {

    private static final QueueName Q = new QueueName("wiki1", "sendMail");

    @Test
    void jobShowFindsAJobInAnyQueueAndSaysWhatIsMissing(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job job = Job.of(Q.type()).inDomain(Q.domain()).withParams(io.jobrunner.client.JobCodec.mapper().createObjectNode().put("to", "a@b"));
        client.producer().push(job);

        Cli.Result shown = Cli.on(redis).run("job", "show", job.id());
        Cli.Result json = Cli.on(redis).run("job", "show", job.id(), "--queue", Q.toString(), "--json");
        Cli.Result missing = Cli.on(redis).run("job", "show", "nope");

        assertThat(shown.code()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("queue:       wiki1/sendMail").contains("state:       ready").contains("\"to\":\"a@b\"");
        assertThat(json.out()).contains("\"state\":\"ready\"").contains("\"queue\":\"wiki1/sendMail\"");
        assertThat(missing.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("no job nope in any queue");
    }

    @Test
    void jobActionsMoveTheJobOrSayWhyNot(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job delayed = Job.of(Q.type()).inDomain(Q.domain()).releaseAt(Instant.now().plusSeconds(3600));
        Job running = Job.of(Q.type()).inDomain(Q.domain());
        client.producer().push(running);
        ClaimedJob claimed = client.consumer().claim(Q, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.producer().push(delayed);

        Cli.Result retryRefused = Cli.on(redis).run("job", "retry", delayed.id());
        assertThat(retryRefused.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(retryRefused.err()).contains("is delayed").contains("only an abandoned job");

        assertThat(Cli.on(redis).run("job", "run-now", delayed.id()).out()).contains("runs next");
        assertThat(client.operations().find(Q, delayed.id()).orElseThrow().state()).isEqualTo(JobState.READY);

        Cli.Result deleteRefused = Cli.on(redis).run("job", "delete", claimed.id());
        assertThat(deleteRefused.err()).contains("cancel it first");
        assertThat(Cli.on(redis).run("job", "cancel", claimed.id()).out()).contains("asked the runner");
        assertThat(Cli.on(redis).run("job", "cancel", delayed.id()).err()).contains("only a running (claimed) job");

        client.consumer().abandon(Q, claimed.ref(), "cancelled by operator").join();
        assertThat(Cli.on(redis).run("job", "retry", claimed.id()).out()).contains("is ready again");
        assertThat(Cli.on(redis).run("job", "delete", delayed.id()).out()).contains("deleted ready job");
        assertThat(client.operations().find(delayed.id())).isEmpty();
    }

    @Test
    void pauseResumeAndTheirList(TestRedis redis) {
        assertThat(Cli.on(redis).run("pause").out()).contains("nothing is paused");
        assertThat(Cli.on(redis).run("pause", "wiki1/sendMail").out()).contains("paused wiki1/sendMail");
        assertThat(Cli.on(redis).run("pause", "*/render").out()).contains("paused */render");
        assertThat(Cli.on(redis).run("pause").out()).contains("*/render  paused since").contains("wiki1/sendMail  paused since");
        redis.client().producer().push(Job.of("sendMail").inDomain("wiki1"));
        assertThat(Cli.on(redis).run("stats").out()).contains("paused");
        assertThat(Cli.on(redis).run("resume", "wiki1/sendMail").out()).contains("resumed wiki1/sendMail");
        assertThat(Cli.on(redis).run("resume", "wiki1/sendMail").out()).contains("was not paused");
        Cli.Result bad = Cli.on(redis).run("pause", "sendMail");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("domain/type").contains("*/type");
    }

    @Test
    void runnersListsLiveProcessesAndWarnsWhenNoneIsAlive(TestRedis redis) {
        Cli.Result none = Cli.on(redis).run("runners");
        assertThat(none.out()).contains("WARNING: no runner is alive").contains("WARNING: no chron leads");

        JobRunnerClient client = redis.client();
        client.presence().heartbeat(new ProcessRecord("r1", "runner", "host-a", 1, "1.2", 0, null,
                List.of(new ProcessRecord.Group("basic", 4, 1, List.of("*"))),
                List.of(new ProcessRecord.Running("wiki1/sendMail", "job-9", 2, 1500, "slot-basic-1")), null), 60_000, List.of()).join();
        client.presence().heartbeat(new ProcessRecord("c1", "chron", "host-b", 2, "1.2", 0, true, null, null, null), 60_000, List.of()).join();

        Cli.Result some = Cli.on(redis).run("runners");
        assertThat(some.out()).contains("r1").contains("host-a").contains("1/4").contains("basic 1/4")
                .contains("slot-basic-1: wiki1/sendMail job-9 (attempt 2, 1s)").contains("c1").contains("leader")
                .doesNotContain("WARNING");
        assertThat(Cli.on(redis).run("runners", "--json").out()).contains("\"id\":\"r1\"").contains("\"leader\":true");
    }

    @Test
    void abandonedFiltersAndDryRun(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(List.of(Job.of(Q.type()).inDomain(Q.domain()), Job.of(Q.type()).inDomain(Q.domain())));
        List<ClaimedJob> jobs = client.consumer().claim(Q, 2, Duration.ofMinutes(1)).join().jobs();
        client.consumer().abandon(Q, jobs.get(0).ref(), "SMTP timeout").join();
        client.consumer().abandon(Q, jobs.get(1).ref(), "no such user").join();

        Cli.Result dry = Cli.on(redis).run("abandoned", "retry", "--error", "timeout", "--dry-run");
        assertThat(dry.out()).contains("dry run: 1 abandoned job would be retried; nothing changed");
        assertThat(client.inspector().counts(Q).abandoned()).isEqualTo(2);
        assertThat(Cli.on(redis).run("abandoned", "purge", "--older-than", "1h").out()).contains("purged 0 abandoned jobs");
        assertThat(Cli.on(redis).run("abandoned", "retry", "--error", "TIMEOUT").out()).contains("retried 1 abandoned job");
        assertThat(client.inspector().counts(Q).abandoned()).isEqualTo(1);
    }

    @Test
    void listPagesWithOffset(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = List.of(Job.of("sendMail").inDomain("wiki1"), Job.of("sendMail").inDomain("wiki1"), Job.of("sendMail").inDomain("wiki1"));
        client.producer().push(jobs);
        Cli.Result page = Cli.on(redis).run("list", "sendMail", "--domain", "wiki1", "--state", "ready", "--offset", "1", "--limit", "1");
        assertThat(page.out()).contains(jobs.get(1).id()).doesNotContain(jobs.get(0).id()).doesNotContain(jobs.get(2).id());
    }
}
