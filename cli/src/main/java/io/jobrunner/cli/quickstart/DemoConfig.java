package io.jobrunner.cli.quickstart;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The quickstart's built-in config: one group of slots serving the demo types with {@code demo.reindex}
 * as its low class, the demo handlers as {@code java} executors, short claim TTLs and backoffs so the demo
 * moves quickly, a fast chron, and both HTTP endpoints on free loopback ports.
 */
public final class DemoConfig {

    public static final String GROUP = "demo";

    private DemoConfig() {
    }

    public static Config of(int slots) {
        return ConfigFactory.parseString("""
                jobrunner {
                  redis.prefix = "jrdemo"
                  runner {
                    id = "quickstart"
                    groups {
                      demo { slots = %d, types = ["demo.*"], low-priority = ["demo.reindex"], high-share = 0.8 }
                    }
                    share-window = 10s
                    shutdown-grace = 5s
                    http.port = 0
                    jmx.enabled = false
                  }
                  limits {
                    attempts { "*" = 3 }
                    claim-ttl { "*" = 15s }
                    timeout { "*" = 30s }
                    backoff { "*" { initial = 200ms, max = 2s } }
                  }
                  executors {
                    "demo.thumbnail"    { kind = java, class = "io.jobrunner.cli.demo.ThumbnailHandler" }
                    "demo.sendMail"     { kind = java, class = "io.jobrunner.cli.demo.SendMailHandler" }
                    "demo.refreshCache" { kind = java, class = "io.jobrunner.cli.demo.RefreshCacheHandler" }
                    "demo.flaky"        { kind = java, class = "io.jobrunner.cli.demo.FlakyHandler" }
                    "demo.reindex"      { kind = java, class = "io.jobrunner.cli.demo.ReindexHandler" }
                  }
                  chron {
                    interval = 100ms
                    repair-interval = 2s
                    lease-ttl = 3s
                    gauges.interval = 2s
                    http.port = 0
                  }
                }
                """.formatted(slots), com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("quickstart demo config"));
    }
}
