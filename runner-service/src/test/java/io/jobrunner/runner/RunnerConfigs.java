package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.service.ConfigLoader;

import java.util.Map;

/** Builds runner configs for tests: the given HOCON over the defaults, HTTP on a free port, JMX off. */
final class RunnerConfigs {

    private RunnerConfigs() {
    }

    static Config of(String hocon) {
        String base = "jobrunner.runner { http.port = 0, jmx.enabled = false, shutdown-grace = 5s, refresh-interval = 200ms }\n";
        return ConfigLoader.fromUserConfig(ConfigFactory.parseString(base + hocon), Map.of());
    }
}
