package io.jobrunner.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue spread over three partitions, as the API and the pages show it: one logical queue (counts added up, jobs
 * paged over every partition, a job found and acted on in whichever partition holds it), each partition on request.
 * Runs once more on a local cluster (the dashboard's {@code on-cluster} execution), where the partitions live on
 * different masters.
 */
@ExtendWith(RedisExtension.class)
class PartitionViewIT {

    private static final String TOKEN = "partition-test-token-0123456789";
    private static final QueueName BULK = new QueueName("shop", "bulkMail");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JobRunnerClient client;
    private Dashboard dashboard;
    /** The ids in each partition of bulkMail, in claim order. */
    private final List<List<String>> idsByPartition = new ArrayList<>();
    private String abandoned;

    @BeforeEach
    void pushToThreePartitions(TestRedis redis) {
        client = redis.client(redis.settings().withPartitions(Partitions.NONE.with(BULK.type(), 3)), Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // round robin: ten in each partition
            jobs.add(Job.of(BULK.type()).inDomain(BULK.domain()).withParams(JobCodec.mapper().createObjectNode().put("n", i)));
        }
        jobs.add(Job.of("mail").inDomain(BULK.domain()));
        client.producer().push(jobs);
        ClaimedJob claimed = client.consumer().claim(BULK.inPartition(1), 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().abandon(BULK.inPartition(1), claimed.ref(), "bounced").join();
        abandoned = claimed.id();
        for (int p = 0; p < 3; p++) {
            idsByPartition.add(client.inspector().list(BULK.inPartition(p), JobState.READY, 0, 100).stream().map(JobInfo::id).toList());
        }
        assertThat(idsByPartition).extracting(List::size).containsExactly(10, 9, 10);
        dashboard = Dashboard.start(new DashboardSettings("127.0.0.1", 0, Duration.ofSeconds(2), false, TOKEN, "", ""), client);
    }

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JobCodec.mapper().readTree(r.body());
    }

    @Test
    void theApiShowsTheLogicalQueueAndEachPartitionOnRequest() throws Exception {
        JsonNode queues = json("/api/overview").get("queues");
        assertThat(queues).hasSize(2);
        JsonNode bulk = queues.get(0);
        assertThat(bulk.get("name").asText()).isEqualTo("shop/bulkMail");
        assertThat(bulk.get("ready").asLong()).isEqualTo(29);
        assertThat(bulk.get("abandoned").asLong()).isEqualTo(1);
        assertThat(bulk.get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(bulk.get("partitionCount").asInt()).isEqualTo(3);
        assertThat(bulk.has("partitions")).as("partitions only on request").isFalse();
        assertThat(queues.get(1).get("name").asText()).isEqualTo("shop/mail");
        assertThat(queues.get(1).get("partitionCount").asInt()).isEqualTo(1);

        JsonNode split = json("/api/overview?partitions=true").get("queues").get(0).get("partitions");
        assertThat(split).hasSize(3);
        List<String> names = new ArrayList<>();
        long ready = 0;
        for (JsonNode p : split) {
            names.add(p.get("name").asText());
            ready += p.get("ready").asLong();
        }
        assertThat(names).containsExactly("shop/bulkMail", "shop/bulkMail#1", "shop/bulkMail#2");
        assertThat(ready).as("the partitions add up to the logical row").isEqualTo(29);
        assertThat(split.get(1).get("abandoned").asLong()).isEqualTo(1);

        JsonNode one = json("/api/queues/shop/bulkMail?partitions=1");
        assertThat(one.get("ready").asLong()).isEqualTo(29);
        assertThat(one.get("partitions")).hasSize(3);
    }

    @Test
    void jobListsCoverEveryPartitionAndPageAcrossThem() throws Exception {
        List<String> all = new ArrayList<>();
        idsByPartition.forEach(all::addAll);
        JsonNode page = json("/api/queues/shop/bulkMail/jobs?state=ready&limit=1000");
        assertThat(page.get("queue").asText()).isEqualTo("shop/bulkMail");
        assertThat(page.get("total").asLong()).isEqualTo(29);
        assertThat(ids(page)).as("partition after partition, as one list").containsExactlyElementsOf(all);
        Set<String> holders = new HashSet<>();
        page.get("jobs").forEach(j -> holders.add(j.get("queue").asText()));
        assertThat(holders).containsExactlyInAnyOrder("shop/bulkMail", "shop/bulkMail#1", "shop/bulkMail#2");

        JsonNode across = json("/api/queues/shop/bulkMail/jobs?state=ready&offset=8&limit=5"); // partition 0's last two, then #1
        assertThat(ids(across)).containsExactlyElementsOf(all.subList(8, 13));
        JsonNode last = json("/api/queues/shop/bulkMail/jobs?state=ready&offset=25&limit=10");
        assertThat(ids(last)).containsExactlyElementsOf(all.subList(25, 29));

        JsonNode two = json("/api/queues/shop/bulkMail/jobs?state=ready&partition=2&limit=100");
        assertThat(two.get("queue").asText()).isEqualTo("shop/bulkMail#2");
        assertThat(two.get("total").asLong()).isEqualTo(10);
        assertThat(ids(two)).containsExactlyElementsOf(idsByPartition.get(2));
        assertThat(json("/api/queues/shop/bulkMail/jobs?state=abandoned").get("total").asLong()).isEqualTo(1);
        assertThat(get("/api/queues/shop/bulkMail/jobs?partition=1024").statusCode()).isEqualTo(400);
    }

    @Test
    void aJobIsFoundAndActedOnInWhicheverPartitionHoldsIt() throws Exception {
        String inTwo = idsByPartition.get(2).get(3);
        JsonNode found = json("/api/jobs/" + inTwo + "?queue=shop/bulkMail");
        assertThat(found.get("queue").asText()).isEqualTo("shop/bulkMail#2");
        assertThat(get("/api/jobs/" + inTwo + "?queue=" + java.net.URLEncoder.encode("shop/bulkMail#1", "UTF-8")).statusCode())
                .as("a partition named: that partition only").isEqualTo(404);

        HttpResponse<String> jobPage = get("/jobs/shop/bulkMail/" + inTwo);
        assertThat(jobPage.statusCode()).isEqualTo(200);
        assertThat(jobPage.body()).contains("queue shop/bulkMail#2").contains("<dd id=\"job-state\">ready</dd>");

        HttpResponse<String> retried = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/jobs/shop/bulkMail/" + abandoned + "/retry"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(retried.body()).contains("\"ok\":true").contains("shop/bulkMail#1");
        assertThat(client.operations().find(BULK.inPartition(1), abandoned).orElseThrow().state()).isEqualTo(JobState.READY);
    }

    @Test
    void thePagesShowOneRowPerQueueAndThePartitionsOnRequest() throws Exception {
        String overview = get("/").body();
        assertThat(overview).contains("data-queue=\"shop/bulkMail\"").contains("3 partitions").contains("show partitions")
                .doesNotContain("data-queue=\"shop/bulkMail#").doesNotContain("data-partition=");
        String split = get("/?partitions=1").body();
        assertThat(split).contains("data-partition=\"shop/bulkMail#1\"").contains("data-partition=\"shop/bulkMail#2\"")
                .contains("hide partitions").doesNotContain("data-partition=\"shop/mail");

        String queue = get("/queues/shop/bulkMail").body();
        assertThat(queue).contains("<span id=\"count-ready\">29</span>").contains("1–25 of 29").contains("jobs of all 3 partitions")
                .doesNotContain("id=\"partitions\"");
        assertThat(rows(queue)).isEqualTo(Models.PAGE_SIZE);
        assertThat(rows(get("/queues/shop/bulkMail?state=ready&offset=25").body())).isEqualTo(4);
        assertThat(get("/queues/shop/bulkMail?partitions=1").body()).contains("id=\"partitions\"")
                .contains("partition=2&amp;partitions=1");

        String two = get("/queues/shop/bulkMail?partition=2").body();
        assertThat(two).contains("<span id=\"count-ready\">10</span>").contains("jobs of partition 2 only")
                .contains("data-job-queue=\"shop/bulkMail#2\"").doesNotContain("data-job-queue=\"shop/bulkMail#1\"")
                .doesNotContain("data-job-queue=\"shop/bulkMail\"").contains("id=\"partitions\"");
        assertThat(rows(two)).isEqualTo(10);
        assertThat(two).as("the tabs keep the partition").contains("?state=delayed&amp;partition=2\"");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    private static int rows(String html) {
        return html.split("<tr data-job=", -1).length - 1;
    }
}
