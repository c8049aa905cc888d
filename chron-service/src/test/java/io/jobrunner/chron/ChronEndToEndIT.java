package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.WakeUp;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;
import io.jobrunner.testing.PrometheusText;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole chron on the real clock: promote lag, a dead runner's job run again, the HTTP endpoint. */
@ExtendWith(RedisExtension.class)
class ChronEndToEndIT {

    private Chron chron;

    @AfterEach
    void stop() {
        if (chron != null) {
            chron.stop();
        }
    }

    private Chron startLeader(JobRunnerClient client, String... lines) {
        chron = TestConfigs.chron(client, lines);
        chron.start();
        await().atMost(Duration.ofSeconds(5)).until(chron::isLeader);
        return chron;
    }

    @Test
    void delayedJobsBecomeReadyWithinOneIntervalOfTheirReleaseTime(TestRedis redis) {
        JobRunnerClient client = redis.client();
        startLeader(client, "interval = 1s");
        Map<QueueName, Long> wokenAt = new ConcurrentHashMap<>();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                WakeUp w = WakeUp.parse(message);
                if (w != null) {
                    wokenAt.putIfAbsent(w.queue(), System.currentTimeMillis());
                }
            }
        });
        pubSub.sync().subscribe(client.keys().wakeChannel());

        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            QueueName queue = new QueueName("lag" + i, "delayed");
            long releaseAt = System.currentTimeMillis() + 300;
            client.producer().push(Job.of("delayed").inDomain(queue.domain()).releaseAt(Instant.ofEpochMilli(releaseAt)));
            await().atMost(Duration.ofSeconds(5)).until(() -> wokenAt.containsKey(queue));
            assertThat(client.inspector().counts(queue).ready()).isEqualTo(1);
            lags.add(wokenAt.get(queue) - releaseAt);
        }
        System.out.printf("promote lag (ready and runners woken, after releaseAt), interval 1s: %s ms%n", lags);
        assertThat(lags).allSatisfy(lag -> assertThat(lag).as("never before releaseAt").isGreaterThanOrEqualTo(0)
                .as("within one interval").isLessThanOrEqualTo(1000 + 500));
        pubSub.close();
    }

    @Test
    void aJobClaimedByARunnerThatDiedRunsAgainAndTheEndpointShowsIt(TestRedis redis) throws Exception {
        JobRunnerClient producerClient = redis.client();
        JobRunnerClient deadRunner = redis.client();
        JobRunnerClient liveRunner = redis.client();
        MetricRegistry metrics = new MetricRegistry();
        chron = Chron.create(TestConfigs.config("jobrunner.chron { interval = 200ms, http { enabled = true, port = 0 } }"),
                redis.client(), metrics);
        chron.start();
        await().atMost(Duration.ofSeconds(5)).until(chron::isLeader);

        QueueName queue = new QueueName("default", "transcode");
        Job job = Job.of("transcode");
        producerClient.producer().push(job);
        ClaimedJob lost = deadRunner.consumer().claim(queue, 1, Duration.ofMillis(500)).join().jobs().get(0);
        deadRunner.close(); // the runner dies holding the claim: never acked, never extended

        List<ClaimedJob> rerun = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ClaimBatch batch = liveRunner.consumer().claim(queue, 1, Duration.ofMinutes(1)).join();
            rerun.addAll(batch.jobs());
            return !rerun.isEmpty();
        });
        assertThat(rerun.get(0).ref().id()).isEqualTo(job.id());
        assertThat(rerun.get(0).attempts()).isEqualTo(2);
        assertThat(liveRunner.consumer().ack(queue, List.of(rerun.get(0).ref())).join().acked()).isEqualTo(1);
        assertThat(liveRunner.consumer().ack(queue, List.of(lost.ref())).join().acked()).as("the dead runner's token is stale").isZero();
        // marked when the recycle call returns, which can be just after the live runner claimed the job again
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.meter(MetricName.of("jobrunner_chron_jobs_recycled", "type", "transcode")).getCount() == 1);

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + chron.httpPort();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"role\" : \"leader\"");
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"leader\" : true").contains("\"state\" : \"leader\"").contains("\"due\"")
                .contains("\"lastRunAt\"").contains("\"recycled\" : 1");
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.body()).contains("jobrunner_chron_leader 1.0").contains("jobrunner_chron_jobs_recycled_total{type=\"transcode\",} 1.0")
                .contains("jobrunner_chron_duty_run_seconds_count{duty=\"due\",}");
        PrometheusText page = PrometheusText.parse(prometheus.body());
        for (MetricFamily family : page.families()) {
            assertThat(family.getName()).as("only labelled jobrunner_ families, and the JVM's and the process's").matches("(jobrunner|jvm|process)_[a-z0-9_]+");
        }
        for (MetricSpec spec : ChronMetrics.SPECS) {
            page.family(spec.name()).ifPresent(f -> assertThat(f.getHelp()).as(spec.name()).isEqualTo(spec.help()));
        }
        assertThat(page.byName().keySet().stream().filter(n -> n.startsWith("jobrunner_")))
                .as("every exported family is documented").allMatch(n -> ChronMetrics.SPECS.stream().anyMatch(s -> s.name().equals(n)));
    }

    @Test
    void theLeaderSamplesQueueGauges(TestRedis redis) {
        JobRunnerClient client = redis.client();
        MetricRegistry metrics = new MetricRegistry();
        client.producer().push(List.of(Job.of("mail"), Job.of("mail"), Job.of("mail").inDomain("other")));
        chron = Chron.create(TestConfigs.config("jobrunner.chron.gauges { interval = 100ms, max-queues = 1 }"), client, metrics);
        chron.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.getGauges().containsKey(MetricName.of("jobrunner_queues", "set", "sampled"))
                && Long.valueOf(1).equals(metrics.getGauges().get(MetricName.of("jobrunner_queues", "set", "sampled")).getValue()));
        assertThat(metrics.getGauges().get(MetricName.of("jobrunner_queues", "set", "known")).getValue()).isEqualTo(2L);
        assertThat(metrics.getGauges().keySet()).as("max-queues = 1: one queue's gauges")
                .filteredOn(name -> name.startsWith("jobrunner_queue_jobs{") && name.endsWith("state=ready}")).hasSize(1);
        assertThat(metrics.getGauges().get("jobrunner_chron_leader").getValue()).isEqualTo(1);
    }
}
