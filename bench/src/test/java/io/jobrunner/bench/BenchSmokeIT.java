package io.jobrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny bench run against a Redis the bench starts: every output is written and makes sense (no speed asserted). */
class BenchSmokeIT {

    @Test
    void tinyRunWritesTableJsonAndPlots(@TempDir Path out) throws Exception {
        int code = BenchMain.run("--scenarios", "memory,drain,idle,scale", "--repeats", "1", "--memory-jobs", "200",
                "--drain-jobs", "200", "--drain-slots", "1,4", "--idle-jobs", "20", "--idle-pause-ms", "1",
                "--params-bytes", "100", "--runner", "client-loop", "--scale-jobs", "2000", "--scale-delayed", "200",
                "--scale-abandoned", "200", "--out", out.toString());
        assertThat(code).isZero();
        assertThat(out.resolve("latest.md")).content().contains("| memory | per waiting job, 100-byte params |")
                .contains("| drain | Redis CPU per job, 4 slots |")
                .contains("| scale | drain 2000 waiting jobs, 64 slots |", "| scale | drain 200 waiting jobs, 64 slots |")
                .contains("| scale | promote 200 delayed jobs due at once |", "| scale | prune 200 abandoned jobs (chron pruner run) |")
                .contains("| scale | chron due tick max, prune of 200 |")
                .doesNotContain("cut short");
        assertThat(out.resolve("latest.md")).content().containsPattern(
                "\\| scale, longest Redis command while pruning 200 abandoned jobs \\|[^\\n]*\\*\\*(met|missed)\\*\\*");
        assertThat(out.resolve("throughput-vs-slots.png")).isNotEmptyFile();
        assertThat(out.resolve("pickup-latency-idle.png")).isNotEmptyFile();
        JsonNode json = new ObjectMapper().readTree(out.resolve("latest.json").toFile());
        assertThat(json.path("failedScenarios")).isEmpty();
        assertThat(json.path("machine").path("redis").asText()).isNotEmpty();
        JsonNode drain = json.path("details").path("drain").path("4 slots").path("redisCommandsPerJob");
        assertThat(drain.path("evalsha").asDouble()).isGreaterThanOrEqualTo(2.0); // at least claim and ack per job
        double perJob = json.path("metrics").findParents("scenario").stream()
                .filter(m -> m.path("scenario").asText().equals("memory")).findFirst().orElseThrow()
                .path("value").path("median").asDouble();
        assertThat(perJob).isGreaterThan(100.0); // at least the params themselves
    }
}
