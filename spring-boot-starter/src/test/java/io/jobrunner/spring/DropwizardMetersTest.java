package io.jobrunner.spring;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.service.metrics.BucketedHistogram;
import io.jobrunner.service.metrics.BucketedTimer;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The bridge from the runner's Dropwizard registry to Micrometer: names, tags, kinds, and metrics that come and go. */
class DropwizardMetersTest {

    private final MetricRegistry source = new MetricRegistry();
    private final SimpleMeterRegistry target = new SimpleMeterRegistry();

    @Test
    void dottedNamesBecomeTaggedMeters() {
        new DropwizardMeters(source).bindTo(target);
        source.meter("jobs.a.b.succeeded").mark(3);
        source.counter("runner.redis-errors").inc();
        source.gauge("groups.basic.utilisation", () -> () -> 0.25);
        source.timer("jobs.sendMail.run-time").update(2, TimeUnit.SECONDS);

        assertThat(target.get("jobrunner.jobs.succeeded").tags(Tags.of("type", "a.b")).functionCounter().count()).isEqualTo(3);
        assertThat(target.get("jobrunner.runner.redis-errors").functionCounter().count()).isEqualTo(1);
        assertThat(target.get("jobrunner.groups.utilisation").tag("group", "basic").gauge().value()).isEqualTo(0.25);
        assertThat(target.get("jobrunner.jobs.run-time").tag("type", "sendMail").functionTimer().count()).isEqualTo(1);
        assertThat(target.get("jobrunner.jobs.run-time.quantile").tags("type", "sendMail", "quantile", "0.99").timeGauge()
                .value(TimeUnit.SECONDS)).isEqualTo(2.0);
    }

    @Test
    void bucketedTimersAndHistogramsGiveTheirExactCountAndSumWhichAddUpAcrossProcesses() {
        new DropwizardMeters(source).bindTo(target);
        Timer run = BucketedTimer.in(source, "jobrunner_job_run_seconds{type=sendMail}");
        run.update(1500, TimeUnit.MILLISECONDS);
        run.update(250, TimeUnit.MILLISECONDS);
        source.histogram("jobrunner_chron_due_queues_per_tick", () -> new BucketedHistogram(new double[]{1, 10, 100}, 1)).update(7);

        FunctionTimer timer = target.get("jobrunner.job.run.seconds").tag("type", "sendMail").functionTimer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isCloseTo(1.75, within(1e-9));
        assertThat(target.get("jobrunner.job.run.quantile").tags("type", "sendMail", "quantile", "0.5").timeGauge()
                .value(TimeUnit.SECONDS)).isIn(0.25, 1.5);
        assertThat(target.get("jobrunner.chron.due.queues.per.tick.count").functionCounter().count()).isEqualTo(1);
        assertThat(target.get("jobrunner.chron.due.queues.per.tick.sum").functionCounter().count()).isEqualTo(7);
    }

    @Test
    void labelledNamesKeepTheirLabelsAsTags() {
        new DropwizardMeters(source).bindTo(target);
        source.counter("jobrunner_jobs_succeeded{type=a%2Eb,domain=shop1}").inc(2);
        assertThat(target.get("jobrunner.jobs.succeeded").tags("type", "a.b", "domain", "shop1").functionCounter().count()).isEqualTo(2);
    }

    @Test
    void metricsRegisteredBeforeTheBindingAndRemovedAfterItAreFollowed() {
        source.meter("jobs.early.claimed").mark();
        new DropwizardMeters(source).bindTo(target);
        assertThat(target.find("jobrunner.jobs.claimed").tag("type", "early").functionCounter()).isNotNull();
        source.remove("jobs.early.claimed");
        assertThat(target.find("jobrunner.jobs.claimed").tag("type", "early").functionCounter()).isNull();
    }
}
