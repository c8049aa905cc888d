package io.jobrunner.dashboard;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.ConfigLoader;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What a browser test runs against: a real runner (job types {@code fast*} run 150 ms, {@code slow*} run until
 * cancelled, {@code fail*} fail permanently with the job's {@code error} param) and a dashboard with a token, both
 * on the test's Redis; and the steps a person takes in the browser (log in, open a page, wait for text).
 */
final class BrowserRig implements AutoCloseable {

    static final String TOKEN = "browser-test-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(20);

    final JobRunnerClient client;
    final Runner runner;
    final Dashboard dashboard;
    final WebDriver browser;

    BrowserRig(JobRunnerClient client, WebDriver browser) {
        this.client = client;
        this.browser = browser;
        JobExecutor fast = sleeping(150);
        JobExecutor slow = sleeping(120_000);
        JobExecutor failing = ctx -> ExecutionResult.permanentFailure(ctx.job().params().path("error").asText("failed"));
        this.runner = Runner.create(ConfigLoader.fromUserConfig(ConfigFactory.parseString("""
                jobrunner.runner {
                  id = "runner-browser-test", http.port = 0, jmx.enabled = false, shutdown-grace = 1s, refresh-interval = 200ms
                  groups { basic { slots = 3, types = ["*"] } }
                }
                """), Map.of()), client, new MetricRegistry(), ExecutorLookup.of(Map.of(
                "fastMail", fast, "fastThumbnail", fast, "slowReport", slow, "failingHook", failing, "failingSync", failing)));
        runner.start();
        this.dashboard = Dashboard.start(new DashboardSettings("127.0.0.1", 0, Duration.ofMillis(500), false, TOKEN, "", ""), client);
    }

    /** Succeeds after {@code millis}; a cancelled run (interrupted) ends at once as a retry. */
    private static JobExecutor sleeping(long millis) {
        return ctx -> {
            try {
                Thread.sleep(millis);
                return ExecutionResult.success();
            } catch (InterruptedException e) {
                return ExecutionResult.retry("interrupted");
            }
        };
    }

    /** Opens {@code path} of the dashboard. */
    void open(String path) {
        browser.get(dashboard.url() + (path.startsWith("/") ? path.substring(1) : path));
    }

    /** Logs in through the login form with the token. */
    void logIn() {
        open("/login");
        browser.findElement(By.name("token")).sendKeys(TOKEN);
        browser.findElement(By.id("login")).click();
        until(d -> d.getPageSource().contains("log out"));
    }

    /** Waits for the condition; on a time-out the page's source is kept in target/ for the report. */
    <T> T until(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            try {
                Files.writeString(Path.of("target", "browser-timeout-page.html"), browser.getPageSource());
            } catch (IOException | RuntimeException ignored) {
                // the time-out is what matters
            }
            throw e;
        }
    }

    /**
     * Clicks the element until {@code done} holds: a live update may replace the element between finding and
     * clicking it, and a click on the replaced one does nothing. Every action here is safe to repeat.
     */
    void clickUntil(By button, Function<WebDriver, Boolean> done) {
        for (int attempt = 1; ; attempt++) {
            try {
                browser.findElement(button).click();
                new WebDriverWait(browser, Duration.ofSeconds(3), Duration.ofMillis(100))
                        .ignoring(StaleElementReferenceException.class).until(done);
                return;
            } catch (StaleElementReferenceException | TimeoutException e) {
                if (attempt == 5) {
                    until(done); // one last, full wait, keeping the page if it fails
                    return;
                }
            }
        }
    }

    /** The text of an element, read again when a live update replaced it meanwhile. */
    String text(By by) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(by).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    WebElement find(By by) {
        return browser.findElement(by);
    }

    /** Where screenshots go: {@code -Djobrunner.dashboard.screenshots=DIR} (docs/dashboard to refresh the README's), else target. */
    static Path screenshotDir() {
        return Path.of(System.getProperty("jobrunner.dashboard.screenshots", "target/dashboard-screenshots"));
    }

    @Override
    public void close() {
        try {
            dashboard.close();
        } finally {
            runner.stop(Duration.ofSeconds(2));
        }
    }
}
