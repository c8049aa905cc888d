package io.jobrunner.chron;

import com.typesafe.config.ConfigException;
import io.jobrunner.client.MissedTicks;
import io.jobrunner.client.Schedule;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredSchedulesTest {

    @Test
    void readsEveryFieldWithDefaults() {
        List<Schedule> s = ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules { nightlyReport { cron = \"0 3 * * *\", zone = \"Europe/Berlin\", type = report, domain = shop,",
                "  params { full = true, pages = [1, 2] }, missed = once }",
                "  tick { cron = \"*/10 * * * * *\", type = ping } }"));

        assertThat(s).hasSize(2);
        Schedule nightly = s.stream().filter(x -> x.name().equals("nightlyReport")).findFirst().orElseThrow();
        assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(nightly.queue().toString()).isEqualTo("shop/report");
        assertThat(nightly.params().toString()).isEqualTo("{\"full\":true,\"pages\":[1,2]}");
        assertThat(nightly.missed()).isEqualTo(MissedTicks.ONCE);
        Schedule tick = s.stream().filter(x -> x.name().equals("tick")).findFirst().orElseThrow();
        assertThat(tick.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(tick.domain()).isEqualTo("default");
        assertThat(tick.missed()).isEqualTo(MissedTicks.SKIP);
        assertThat(tick.params().isEmpty()).isTrue();
    }

    @Test
    void noSchedulesByDefault() {
        assertThat(ConfiguredSchedules.from(TestConfigs.config())).isEmpty();
    }

    @Test
    void aBadBlockNamesItsPath() {
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config("jobrunner.schedules.n { cron = \"0 3 * *\", type = report }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.cron").hasMessageContaining("found 4");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config("jobrunner.schedules.n { cron = \"0 3 * * *\" }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.type").hasMessageContaining("required");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules.n { cron = \"0 3 * * *\", type = report, zone = Mars }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.zone");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules.n { cron = \"0 3 * * *\", type = report, missed = later }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.missed").hasMessageContaining("skip, once or all");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules.n { cron = \"0 3 * * *\", type = report, when = now }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.when").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules.n { cron = \"0 3 * * *\", type = report, params = [1] }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n.params");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config("jobrunner.schedules.n = 5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jobrunner.schedules.n");
        assertThatThrownBy(() -> ConfiguredSchedules.from(TestConfigs.config(
                "jobrunner.schedules.\"bad name\" { cron = \"0 3 * * *\", type = report }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad name");
    }
}
