package io.jobrunner.dashboard;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.chron.Chron;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against a real Redis and a real runner: every page
 * loads, numbers change as jobs run without a reload, a paused queue stops being claimed from, abandoned jobs are
 * retried and deleted from their page, a running job is cancelled, a partitioned queue shows as one with its
 * partitions on request, and script-injection payloads show as text.
 * Skipped, with the reason, where Chromium or chromedriver is not installed.
 */
@Timeout(180)
@ExtendWith(RedisExtension.class)
class DashboardBrowserIT {

    private static HeadlessChromium chromium;

    @BeforeAll
    static void startBrowser() {
        if (HeadlessChromium.missing() == null) {
            chromium = HeadlessChromium.start();
        } else {
            System.out.println("[dashboard] browser tests skipped: " + HeadlessChromium.missing());
        }
    }

    @BeforeEach
    void needsTheBrowser() {
        Assumptions.assumeTrue(chromium != null, () -> "browser tests skipped: " + HeadlessChromium.missing());
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static Job job(String domain, String type, String key, String value) {
        return Job.of(type).inDomain(domain).withParams(JobCodec.mapper().createObjectNode().put(key, value));
    }

    @Test
    void everyPageLoadsAndItsNumbersMoveAsJobsRunWithoutAReload(TestRedis redis) {
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver());
             Chron chron = Chron.create(ConfigLoader.fromUserConfig(ConfigFactory.parseString(
                     "jobrunner.chron { http.enabled = false, interval = 200ms }"), Map.of()), redis.client(), new MetricRegistry())) {
            chron.start();
            rig.logIn();
            // What the screenshots show: busy queues, a paused one, a delayed job, a running report, failures.
            rig.client.operations().pause("wiki2/fastThumbnail");
            rig.client.producer().push(List.of(job("wiki2", "fastThumbnail", "file", "Sunset.jpg"), job("wiki2", "fastThumbnail", "file", "Cat.png")));
            rig.client.producer().push(job("shop1", "slowReport", "month", "2026-11"));
            rig.client.producer().push(job("wiki1", "fastMail", "to", "later@example.org").releaseAt(Instant.now().plusSeconds(3600)));
            rig.client.producer().push(List.of(job("wiki1", "failingHook", "error", "HTTP 500 from https://hooks.example.org/deploy"),
                    job("shop1", "failingSync", "error", "connection refused: inventory.internal:5432")));
            rig.open("/");
            ((JavascriptExecutor) rig.browser).executeScript("window.notReloaded = true;");
            List<Job> mails = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                mails.add(job(i % 2 == 0 ? "wiki1" : "wiki3", "fastMail", "to", "user" + i + "@example.org"));
            }
            rig.client.producer().push(mails);

            rig.until(d -> Long.parseLong(rig.text(By.id("total-processed"))) >= 10);
            rig.until(d -> rig.text(By.id("busy-slots")).startsWith("3/") || rig.text(By.id("busy-slots")).startsWith("2/"));
            long seen = Long.parseLong(rig.text(By.id("total-processed")));
            rig.until(d -> Long.parseLong(rig.text(By.id("total-processed"))) > seen);
            assertThat(((JavascriptExecutor) rig.browser).executeScript("return window.notReloaded === true;"))
                    .as("the numbers changed in place: the page was not reloaded").isEqualTo(true);
            rig.until(d -> d.findElement(By.id("throughput")).getAttribute("data-total-processed") != null
                    && Long.parseLong(d.findElement(By.id("throughput")).getAttribute("data-total-processed")) > 0);
            assertThat(rig.find(By.cssSelector("tr[data-queue='wiki2/fastThumbnail']")).getText()).contains("paused");
            rig.until(d -> rig.text(By.id("total-ready")).equals("2")); // the paused thumbnails wait
            rig.until(d -> d.findElements(By.cssSelector("div.warning")).isEmpty()); // the chron leads
            chromium.screenshot(BrowserRig.screenshotDir().resolve("overview.png"));

            rig.open("/queues/wiki1/fastMail?state=delayed");
            rig.until(d -> d.findElements(By.cssSelector("#jobs tr[data-job]")).size() == 1);
            assertThat(rig.text(By.id("jobs"))).contains("runs in");
            chromium.screenshot(BrowserRig.screenshotDir().resolve("queue.png"));

            JobInfo failed = await().atMost(Duration.ofSeconds(20)).until(() -> rig.client.operations().page(
                    new QueueName("wiki1", "failingHook"), JobState.ABANDONED, 0, 1).jobs(), l -> !l.isEmpty()).get(0);
            rig.open("/jobs/wiki1/failingHook/" + failed.id());
            assertThat(rig.text(By.id("job-state"))).isEqualTo("abandoned");
            assertThat(rig.text(By.id("job-error"))).contains("HTTP 500 from https://hooks.example.org/deploy");
            chromium.screenshot(BrowserRig.screenshotDir().resolve("job.png"));

            rig.open("/abandoned");
            rig.until(d -> d.findElements(By.cssSelector("#jobs tr[data-job]")).size() == 2);
            chromium.screenshot(BrowserRig.screenshotDir().resolve("abandoned.png"));

            rig.open("/runners");
            rig.until(d -> d.findElements(By.cssSelector("table.current tr[data-job]")).size() >= 1);
            assertThat(rig.text(By.cssSelector("section.runner"))).contains("runner-browser-test").contains("shop1/slowReport");
            rig.until(d -> rig.text(By.id("chrons")).contains("leader"));
            chromium.screenshot(BrowserRig.screenshotDir().resolve("runners.png"));
        }
    }

    @Test
    void pausingAQueueFromItsPageStopsClaimsUntilResumed(TestRedis redis) {
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver())) {
            rig.client.producer().push(job("wiki1", "fastMail", "to", "first@example.org"));
            rig.logIn();
            rig.open("/queues/wiki1/fastMail");
            rig.until(d -> rig.text(By.id("count-ready")).equals("0"));
            rig.clickUntil(By.xpath("//button[normalize-space()='Pause']"), d -> rig.text(By.id("live")).contains("paused"));
            await().atMost(Duration.ofSeconds(5)).until(() -> rig.runner.isPaused(new QueueName("wiki1", "fastMail")));

            List<Job> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(job("wiki1", "fastMail", "to", "held" + i + "@example.org"));
            }
            rig.client.producer().push(held);
            rig.until(d -> rig.text(By.id("count-ready")).equals("5"));
            sleep(1500); // seven refresh intervals of the runner: a claim the pause failed to stop would show
            assertThat(rig.client.inspector().counts(new QueueName("wiki1", "fastMail")).ready()).isEqualTo(5);
            assertThat(rig.text(By.id("count-ready"))).isEqualTo("5");

            rig.clickUntil(By.xpath("//button[normalize-space()='Resume']"), d -> !rig.text(By.id("live")).contains("paused"));
            rig.until(d -> rig.text(By.id("count-ready")).equals("0") && rig.text(By.id("count-claimed")).equals("0"));
            assertThat(rig.text(By.id("live"))).doesNotContain("paused");
        }
    }

    @Test
    void aPartitionedQueueIsOneRowWithItsPartitionsOnRequestAndDrainsAsOne(TestRedis redis) {
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver())) {
            JobRunnerClient producer = redis.client(redis.settings().withPartitions(Partitions.NONE.with("fastMail", 3)), Clock.systemUTC());
            producer.operations().pause("shop1/fastMail"); // held until the test resumes it from the page
            List<Job> mails = new ArrayList<>();
            for (int i = 0; i < 30; i++) { // ten in each partition
                mails.add(job("shop1", "fastMail", "to", "customer" + i + "@example.org"));
            }
            producer.producer().push(mails);
            rig.logIn();
            rig.open("/");
            By row = By.cssSelector("tr[data-queue='shop1/fastMail']");
            rig.until(d -> rig.text(By.cssSelector("tr[data-queue='shop1/fastMail'] td.ready")).equals("30"));
            assertThat(rig.text(row)).contains("3 partitions").contains("paused");
            assertThat(rig.browser.findElements(By.cssSelector("tr[data-queue^='shop1/fastMail#']"))).as("one row for the queue").isEmpty();
            assertThat(rig.browser.findElements(By.cssSelector("tr.partition"))).isEmpty();

            rig.clickUntil(By.id("toggle-partitions"), d -> d.findElements(By.cssSelector("tr.partition")).size() == 3);
            for (String p : List.of("shop1/fastMail", "shop1/fastMail#1", "shop1/fastMail#2")) {
                assertThat(rig.text(By.cssSelector("tr[data-partition='" + p + "'] td.ready"))).as(p).isEqualTo("10");
            }
            chromium.screenshot(BrowserRig.screenshotDir().resolve("overview-partitions.png"));

            rig.clickUntil(By.linkText("partition 2"), d -> d.getCurrentUrl().contains("partition=2"));
            rig.until(d -> rig.text(By.id("count-ready")).equals("10"));
            assertThat(rig.browser.findElements(By.cssSelector("#jobs tr[data-job]"))).hasSize(10)
                    .allSatisfy(tr -> assertThat(tr.getAttribute("data-job-queue")).isEqualTo("shop1/fastMail#2"));
            rig.clickUntil(By.id("all-partitions"), d -> !d.getCurrentUrl().contains("partition="));
            rig.until(d -> rig.text(By.id("count-ready")).equals("30"));
            assertThat(rig.browser.findElements(By.cssSelector("#jobs tr[data-job]"))).hasSize(Models.PAGE_SIZE);
            assertThat(rig.text(By.cssSelector("p.pager"))).startsWith("1–25 of 30");
            chromium.screenshot(BrowserRig.screenshotDir().resolve("queue-partitions.png"));

            // resumed from its page, the runner drains every partition and the queue's counts follow without a reload
            rig.clickUntil(By.xpath("//button[normalize-space()='Resume']"), d -> !rig.text(By.id("live")).contains("paused"));
            rig.until(d -> rig.text(By.id("count-ready")).equals("0") && rig.text(By.id("count-claimed")).equals("0"));
            assertThat(producer.inspector().counts(producer.inspector().partitions(new QueueName("shop1", "fastMail"))))
                    .allSatisfy(c -> assertThat(c.total()).isZero());
        }
    }

    @Test
    void abandonedJobsAreRetriedAndDeletedFromTheirPage(TestRedis redis) {
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver())) {
            rig.client.producer().push(List.of(job("wiki1", "failingHook", "error", "hook one failed"),
                    job("wiki1", "failingHook", "error", "hook two failed"), job("shop1", "failingSync", "error", "sync failed"),
                    job("shop1", "failingSync", "error", "sync failed again")));
            QueueName hooks = new QueueName("wiki1", "failingHook");
            QueueName syncs = new QueueName("shop1", "failingSync");
            await().atMost(Duration.ofSeconds(20)).until(() -> rig.client.inspector().counts(hooks).abandoned() == 2
                    && rig.client.inspector().counts(syncs).abandoned() == 2);
            rig.runner.stop(Duration.ofSeconds(2)); // so a retried job stays ready for the test to see
            rig.logIn();
            rig.open("/abandoned");
            rig.until(d -> rig.text(By.id("abandoned-total")).equals("4"));

            String retried = rig.find(By.xpath("//tr[td[contains(., 'hook one failed')]]")).getAttribute("data-job");
            rig.clickUntil(By.xpath("//tr[td[contains(., 'hook one failed')]]//button[normalize-space()='Retry']"),
                    d -> rig.text(By.id("abandoned-total")).equals("3"));
            assertThat(rig.client.operations().find(hooks, retried).orElseThrow().state()).isEqualTo(JobState.READY);

            String deleted = rig.find(By.xpath("//tr[td[contains(., 'hook two failed')]]")).getAttribute("data-job");
            rig.clickUntil(By.xpath("//tr[td[contains(., 'hook two failed')]]//button[normalize-space()='Delete']"),
                    d -> rig.text(By.id("abandoned-total")).equals("2"));
            assertThat(rig.client.operations().find(hooks, deleted)).isEmpty();

            rig.open("/abandoned?type=failingSync");
            rig.clickUntil(By.xpath("//button[normalize-space()='Count matching']"),
                    d -> rig.text(By.id("flash")).contains("2 abandoned jobs would be retried (dry run)"));
            rig.find(By.id("bulk-delete")).click();
            rig.browser.switchTo().alert().accept(); // "Delete every matching abandoned job for good?"
            rig.until(d -> rig.text(By.id("flash")).contains("deleted 2 abandoned jobs"));
            rig.until(d -> rig.text(By.id("abandoned-total")).equals("0"));
            assertThat(rig.client.inspector().counts(syncs).total()).isZero();
        }
    }

    @Test
    void aRunningJobIsCancelledFromTheRunnersPage(TestRedis redis) {
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver())) {
            Job report = job("shop1", "slowReport", "month", "2026-10");
            rig.client.producer().push(report);
            rig.logIn();
            rig.open("/runners");
            rig.until(d -> !d.findElements(By.cssSelector("tr[data-job='" + report.id() + "']")).isEmpty());
            rig.clickUntil(By.cssSelector("tr[data-job='" + report.id() + "'] button"),
                    d -> rig.text(By.id("flash")).contains("asked the runner holding job " + report.id()));

            rig.open("/jobs/shop1/slowReport/" + report.id());
            rig.until(d -> rig.text(By.id("job-state")).equals("abandoned"));
            assertThat(rig.text(By.id("job-error"))).isEqualTo("cancelled by operator");
        }
    }

    @Test
    void injectionPayloadsInParamsAndErrorsShowAsText(TestRedis redis) {
        String script = "<script>window.pwned = 1</script>";
        String image = "<img src=x onerror=\"window.pwned = 2\">";
        try (BrowserRig rig = new BrowserRig(redis.client(), chromium.driver())) {
            Job evil = Job.of("failingHook").inDomain("wiki1").withParams(JobCodec.mapper().createObjectNode()
                    .put("title", script).put("error", "failed: " + image + script));
            rig.client.producer().push(evil);
            await().atMost(Duration.ofSeconds(20)).until(() -> rig.client.operations().find(new QueueName("wiki1", "failingHook"), evil.id())
                    .map(JobInfo::state).orElse(null) == JobState.ABANDONED);
            rig.logIn();
            for (String page : List.of("/jobs/wiki1/failingHook/" + evil.id(), "/abandoned", "/queues/wiki1/failingHook?state=abandoned")) {
                rig.open(page);
                rig.until(d -> d.getPageSource().contains("window.pwned"));
                assertThat(rig.text(By.tagName("main"))).as(page).contains(image);
                assertThat(((JavascriptExecutor) rig.browser).executeScript("return window.pwned === undefined;")).as(page).isEqualTo(true);
                assertThat(rig.browser.findElements(By.cssSelector("main img"))).as(page).isEmpty();
            }
            assertThat(rig.text(By.id("jobs"))).contains("failed: " + image + script);
            rig.open("/jobs/wiki1/failingHook/" + evil.id());
            assertThat(rig.text(By.id("job-params"))).contains(script);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
