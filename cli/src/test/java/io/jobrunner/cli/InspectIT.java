package io.jobrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** stats and list against real queue contents. */
@ExtendWith(RedisExtension.class)
class InspectIT {

    /** wiki1/sendMail: 3 ready, 1 delayed, 1 claimed, 1 abandoned; wiki2/sendMail: 2 ready; wiki1/render: 4 ready. */
    private static void fill(JobRunnerClient client) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(Job.of("sendMail", JsonNodeFactory.instance.objectNode().put("i", i)).inDomain("wiki1"));
        }
        jobs.add(Job.of("sendMail").inDomain("wiki1").releaseAt(Instant.now().plus(Duration.ofHours(1))));
        jobs.add(Job.of("sendMail").inDomain("wiki2"));
        jobs.add(Job.of("sendMail").inDomain("wiki2"));
        for (int i = 0; i < 4; i++) {
            jobs.add(Job.of("render").inDomain("wiki1"));
        }
        client.producer().push(jobs);
        QueueName mail = new QueueName("wiki1", "sendMail");
        ClaimBatch batch = client.consumer().claim(mail, 3, Duration.ofMinutes(5)).join();
        client.consumer().abandon(mail, batch.jobs().get(0).ref(), "smtp said no").join();
        client.consumer().ack(mail, List.of(batch.jobs().get(1).ref())).join();
        // batch.jobs().get(2) stays claimed
    }

    @Test
    void statsJsonMatchesTheQueues(TestRedis redis) {
        JobRunnerClient client = redis.client();
        fill(client);

        Cli.Result r = Cli.on(redis).run("stats", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = readJson(r.out());

        Map<String, QueueCounts> actual = new HashMap<>();
        for (QueueCounts c : client.inspector().counts(client.inspector().queues())) {
            actual.put(c.queue().toString(), c);
        }
        long totalReady = 0;
        for (JsonNode type : json.get("types")) {
            long typeReady = 0;
            for (JsonNode domain : type.get("domains")) {
                QueueCounts c = actual.get(domain.get("domain").asText() + "/" + type.get("type").asText());
                assertThat(domain.get("ready").asLong()).isEqualTo(c.ready());
                assertThat(domain.get("delayed").asLong()).isEqualTo(c.delayed());
                assertThat(domain.get("claimed").asLong()).isEqualTo(c.claimed());
                assertThat(domain.get("abandoned").asLong()).isEqualTo(c.abandoned());
                typeReady += c.ready();
            }
            assertThat(type.get("ready").asLong()).isEqualTo(typeReady);
            totalReady += typeReady;
        }
        assertThat(json.get("total").get("ready").asLong()).isEqualTo(totalReady).isEqualTo(3 + 2 + 4);
        JsonNode mail = json.get("types").get(1);
        assertThat(mail.get("type").asText()).isEqualTo("sendMail");
        assertThat(mail.get("delayed").asLong()).isEqualTo(1);
        assertThat(mail.get("claimed").asLong()).isEqualTo(1);
        assertThat(mail.get("abandoned").asLong()).isEqualTo(1);
        assertThat(mail.get("domains")).hasSize(2);
    }

    @Test
    void statsFiltersByTypeAndDomain(TestRedis redis) {
        fill(redis.client());
        JsonNode json = readJson(Cli.on(redis).run("stats", "--json", "--type", "sendMail", "--domain", "wiki2").out());
        assertThat(json.get("types")).hasSize(1);
        assertThat(json.get("types").get(0).get("domains")).hasSize(1);
        assertThat(json.get("total").get("ready").asLong()).isEqualTo(2);
    }

    @Test
    void statsPrintsTypesWithDomainsBeneath(TestRedis redis) {
        fill(redis.client());
        Cli.Result r = Cli.on(redis).run("stats");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("READY").contains("DELAYED").contains("CLAIMED").contains("ABANDONED");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("sendMail\\s+5\\s+1\\s+1\\s+1\\s+\\d+m?s")); // then the latency
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("  wiki2\\s+2\\s+0\\s+0\\s+0\\s+\\d+m?s"));
        assertThat(lines.get(lines.size() - 1)).matches("TOTAL\\s+9\\s+1\\s+1\\s+1\\s+\\d+m?s");
    }

    @Test
    void statsAddsUpAPartitionedQueueOrShowsEachPartitionWhenAsked(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulkMail", 3)), Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 9; i++) { // three in each partition
            jobs.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("i", i)).inDomain("shop"));
        }
        client.producer().push(jobs);
        client.operations().pause("shop/bulkMail");

        JsonNode logical = readJson(Cli.on(redis).run("stats", "--json").out()).get("types").get(0);
        assertThat(logical.get("domains")).singleElement().satisfies(d -> {
            assertThat(d.get("domain").asText()).isEqualTo("shop");
            assertThat(d.get("ready").asLong()).isEqualTo(9);
            assertThat(d.get("pausedQueues").asInt()).as("one queue, paused with its partitions").isEqualTo(1);
        });
        JsonNode split = readJson(Cli.on(redis).run("stats", "--json", "--partitions").out()).get("types").get(0);
        assertThat(split.get("domains")).extracting(d -> d.get("domain").asText()).containsExactly("shop", "shop#1", "shop#2");
        assertThat(split.get("domains")).allSatisfy(d -> assertThat(d.get("ready").asLong()).isEqualTo(3));
        assertThat(split.get("ready").asLong()).isEqualTo(9);
    }

    @Test
    void statsOnAnEmptyPrefixSaysSo(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("stats");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("(no jobs in any queue)");
    }

    @Test
    void statsWatchRefreshesTheGivenNumberOfTimes(TestRedis redis) {
        fill(redis.client());
        Cli.Result r = Cli.on(redis).run("stats", "--watch", "100ms", "--count", "3");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("jobrunner stats at"))).hasSize(3);
    }

    @Test
    void listShowsEveryStateWithAttemptsAndTheLastError(TestRedis redis) {
        fill(redis.client());
        Cli.Result r = Cli.on(redis).run("list", "sendMail", "--domain", "wiki1");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("6 jobs in wiki1/sendMail; showing 6");
        assertThat(lines.get(1)).contains("ID").contains("DOMAIN").contains("STATE").contains("ATTEMPTS").contains("AGE").contains("LAST ERROR");
        assertThat(lines.stream().filter(l -> l.contains(" ready "))).hasSize(3);
        assertThat(lines.stream().filter(l -> l.contains(" delayed ") && l.contains("runs in"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains(" claimed ") && l.contains("deadline in"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains(" abandoned ") && l.contains("smtp said no"))).hasSize(1);
    }

    @Test
    void listJsonByStateWithALimit(TestRedis redis) {
        fill(redis.client());
        Cli.Result r = Cli.on(redis).run("list", "sendMail", "--domain", "wiki1", "--state", "ready", "--limit", "2", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = readJson(r.out());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("state").asText()).isEqualTo("ready");
        assertThat(json.get(0).get("job").get("type").asText()).isEqualTo("sendMail");
        assertThat(json.get(0).get("attempts").asInt()).isZero();

        JsonNode abandoned = readJson(Cli.on(redis).run("list", "sendMail", "--domain", "wiki1", "--state", "ABANDONED", "--json").out());
        assertThat(abandoned).hasSize(1);
        assertThat(abandoned.get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(abandoned.get(0).get("lastError").asText()).isEqualTo("smtp said no");
    }

    @Test
    void listOfAnEmptyQueueSaysSo(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("list", "nothing", "--state", "claimed");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no claimed jobs of type nothing in any domain");
    }

    @Test
    void listWithoutADomainListsTheTypeInEveryDomainAndCountsThem(TestRedis redis) {
        JobRunnerClient client = redis.client();
        for (int d = 0; d < 3; d++) {
            for (int i = 0; i < 5; i++) {
                client.producer().push(Job.of("bulkEdit").inDomain("site" + d));
            }
        }
        Cli.Result r = Cli.on(redis).run("list", "bulkEdit", "--limit", "4");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("15 jobs of type bulkEdit in 3 domain(s); showing 4 (at most 4 per state, --limit)");
        assertThat(lines.subList(2, lines.size())).hasSize(4).allMatch(l -> l.contains(" ready "));
        assertThat(r.out()).doesNotContain("no jobs").contains("site0");

        assertThat(Cli.on(redis).run("list", "bulkEdit", "--domain", "default").out()).contains("no jobs in default/bulkEdit");
        assertThat(Cli.on(redis).run("list", "bulkEdit", "--state", "abandoned").out()).contains("no abandoned jobs of type bulkEdit in any domain");
    }

    static JsonNode readJson(String text) {
        try {
            return JobCodec.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
