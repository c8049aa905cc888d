package io.jobrunner.chron;

import com.typesafe.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronSettingsTest {

    @Test
    void defaultsComeFromReferenceConf() {
        ChronSettings s = ChronSettings.from(TestConfigs.config("jobrunner.chron.http.enabled = true"));
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.dueBatch()).isEqualTo(500);
        assertThat(s.repairInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.pageSize()).isEqualTo(500);
        assertThat(s.pruneInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.abandonedRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(s.rootRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.gauges()).isEqualTo(new ChronSettings.Gauges(Duration.ofSeconds(10), 1000));
        assertThat(s.http().enabled()).isTrue();
        assertThat(s.http().bind()).isEqualTo("127.0.0.1");
        assertThat(s.http().port()).isEqualTo(9322);
    }

    @Test
    void leaseTimingFollowsTheTtl() {
        ChronSettings s = TestConfigs.settings("lease-ttl = 3s");
        assertThat(s.renewEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.leaderValidity()).isEqualTo(Duration.ofMillis(2400));
    }

    @Test
    void everyBadValueNamesItsFullPath() {
        assertBad("jobrunner.chron.interval = 0s", "jobrunner.chron.interval", "positive duration");
        assertBad("jobrunner.chron.repair-interval = -5s", "jobrunner.chron.repair-interval", "positive duration");
        assertBad("jobrunner.chron.abandoned-retention = 0d", "jobrunner.chron.abandoned-retention", "positive duration");
        assertBad("jobrunner.chron.lease-ttl = 100ms", "jobrunner.chron.lease-ttl", "at least 300ms");
        assertBad("jobrunner.chron.due-batch = 0", "jobrunner.chron.due-batch", "1 to 10000");
        assertBad("jobrunner.chron.page-size = 20000", "jobrunner.chron.page-size", "1 to 10000");
        assertBad("jobrunner.chron.gauges.max-queues = 0", "jobrunner.chron.gauges.max-queues", "1 to 100000");
        assertBad("jobrunner.chron.gauges.interval = 0ms", "jobrunner.chron.gauges.interval", "positive duration");
        assertBad("jobrunner.chron.http.port = 70000", "jobrunner.chron.http.port", "65535");
        assertBad("jobrunner.chron.prune-interval = soon", "jobrunner.chron.prune-interval", "");
    }

    @Test
    void unknownKeysAreRejectedWithWhatIsAllowed() {
        assertThatThrownBy(() -> TestConfigs.config("jobrunner.chron.intervall = 1s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.chron.intervall")
                .hasMessageContaining("repair-interval");
    }

    private static void assertBad(String line, String path, String allowed) {
        assertThatThrownBy(() -> ChronSettings.from(TestConfigs.config(line)))
                .as(line)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(path)
                .hasMessageContaining(allowed);
    }
}
