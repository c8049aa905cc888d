package io.jobrunner.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchMainTest {

    private static BenchConfig parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void fullDefaults() {
        BenchConfig c = parse();
        assertThat(c.scenarios()).containsExactlyElementsOf(BenchConfig.ALL_SCENARIOS);
        assertThat(c.repeats()).isEqualTo(3);
        assertThat(c.drainJobs()).isEqualTo(100_000);
        assertThat(c.drainSlots()).containsExactly(1, 8, 64);
        assertThat(c.idleJobs()).isEqualTo(2000);
        assertThat(c.queues()).isEqualTo(10_000);
        assertThat(c.paramsBytes()).isEqualTo(100);
        assertThat(c.e2eBatches()).as("single pushes, then batches of 10").containsExactly(1, 10);
    }

    @Test
    void e2eBatchesAndRedisSettingsAreTakenAsGiven() {
        assertThat(parse("--e2e-batches", "1,100").e2eBatches()).containsExactly(1, 100);
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs("--redis-set", "hash-max-listpack-entries=32", "--redis-set", "zset-max-listpack-entries=32");
        assertThat(main.redisSettings).containsExactly(java.util.Map.entry("hash-max-listpack-entries", "32"),
                java.util.Map.entry("zset-max-listpack-entries", "32"));
    }

    @Test
    void quickShrinksOnlyWhatWasNotGiven() {
        BenchConfig c = parse("--quick", "--drain-jobs", "5000", "--scenarios", "drain,idle");
        assertThat(c.repeats()).isEqualTo(1);
        assertThat(c.drainJobs()).isEqualTo(5000);
        assertThat(c.memoryJobs()).isEqualTo(10_000);
        assertThat(c.e2eTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.scenarios()).containsExactly("drain", "idle");
        assertThat(c.runs("push")).isFalse();
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> parse("--scenarios", "drain,nope"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--scenarios").hasMessageContaining("nope");
        assertThatThrownBy(() -> parse("--repeats", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--repeats");
        assertThatThrownBy(() -> parse("--drain-slots", "0,8"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--drain-slots");
        assertThatThrownBy(() -> parse("--e2e-batches", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--e2e-batches");
        assertThatThrownBy(() -> parse("--runner", "other"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--runner");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(new CommandLine(new BenchMain()).execute("--scenarios", "nope")).isEqualTo(2);
        assertThat(List.of(new CommandLine(new BenchMain()).execute("--no-such-flag"))).containsExactly(2);
    }
}
