package io.jobrunner.spring;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(target.get("jobrunner.jobs.run-time.count").tag("type", "sendMail").functionCounter().count()).isEqualTo(1);
        assertThat(target.get("jobrunner.jobs.run-time").tags("type", "sendMail", "quantile", "0.99").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(2.0);
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
