package io.jobrunner.dashboard;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.service.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardSettingsTest {

    private static DashboardSettings of(String hocon) {
        return DashboardSettings.from(ConfigLoader.fromUserConfig(ConfigFactory.parseString(hocon), Map.of()));
    }

    @Test
    void defaultsAreLoopbackAndReadOnly() {
        DashboardSettings s = of("");
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(9330);
        assertThat(s.actionsEnabled()).isFalse();
    }

    @Test
    void badValuesNameTheirPath() {
        assertThatThrownBy(() -> of("jobrunner.dashboard.auth.token = short")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.dashboard.auth.token").hasMessageContaining("at least 16");
        assertThatThrownBy(() -> of("jobrunner.dashboard.auth.user = admin")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.dashboard.auth.password");
        assertThatThrownBy(() -> of("jobrunner.dashboard.port = 70000")).hasMessageContaining("jobrunner.dashboard.port");
        assertThatThrownBy(() -> of("jobrunner.dashboard.refresh = 100ms")).hasMessageContaining("at least 500ms");
    }

    @Test
    void secretsComeFromTheEnvironmentAndNeverShowInToString() {
        DashboardSettings s = DashboardSettings.from(ConfigLoader.fromUserConfig(ConfigFactory.parseString(
                "jobrunner.dashboard.auth.user = admin"), Map.of("JOBRUNNER_DASHBOARD_TOKEN", "0123456789abcdef-token",
                "JOBRUNNER_DASHBOARD_PASSWORD", "hunter2-secret")));
        assertThat(s.token()).isEqualTo("0123456789abcdef-token");
        assertThat(s.password()).isEqualTo("hunter2-secret");
        assertThat(s.actionsEnabled()).isTrue();
        assertThat(s.toString()).doesNotContain("0123456789abcdef-token").doesNotContain("hunter2-secret");
    }
}
