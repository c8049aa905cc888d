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
        assertThat(c.drainSlots()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
        assertThat(c.mainSlots()).as("the drain target, commands and many queues stay at 64").isEqualTo(64);
        assertThat(c.idleJobs()).isEqualTo(2000);
        assertThat(c.idleShapes()).containsExactly(new IdleShape(1, 2), new IdleShape(8, 5));
        assertThat(c.scaleJobs()).isEqualTo(1_000_000);
        assertThat(c.scaleBaseJobs()).isEqualTo(100_000);
        assertThat(c.scaleDelayed()).isEqualTo(100_000);
        assertThat(c.scaleAbandoned()).isEqualTo(100_000);
        assertThat(c.scenarios()).endsWith("scale");
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
        assertThat(c.drainSlots()).containsExactly(1, 8, 64, 128);
        assertThat(c.idleShapes()).as("the same shapes, fewer jobs").containsExactly(new IdleShape(1, 2), new IdleShape(8, 5));
        assertThat(c.scaleJobs()).isEqualTo(100_000);
        assertThat(c.scaleBaseJobs()).isEqualTo(10_000);
        assertThat(c.scaleDelayed()).isEqualTo(10_000);
        assertThat(c.scaleAbandoned()).isEqualTo(10_000);
    }

    @Test
    void idleShapesComeFromTheirFlagOrFromTheOldPair() {
        assertThat(parse("--idle-shapes", "2:1,16:10").idleShapes()).containsExactly(new IdleShape(2, 1), new IdleShape(16, 10));
        assertThat(parse("--idle-slots", "4").idleShapes()).containsExactly(new IdleShape(4, 5));
        assertThat(parse("--quick", "--idle-slots", "4").idleShapes()).containsExactly(new IdleShape(4, 2));
        assertThat(parse("--idle-pause-ms", "3").idleShapes()).containsExactly(new IdleShape(8, 3));
        assertThatThrownBy(() -> parse("--idle-shapes", "1:2", "--idle-slots", "4"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--idle-shapes").hasMessageContaining("--idle-slots");
        assertThatThrownBy(() -> parse("--idle-shapes", "8"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--idle-shapes").hasMessageContaining("SLOTS:PAUSE_MS");
        assertThatThrownBy(() -> parse("--idle-shapes", "0:5"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("slots must be 1 to 1024");
        assertThatThrownBy(() -> parse("--idle-shapes", "1:2,1:2"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("each once");
        assertThatThrownBy(() -> parse("--idle-pause-ms", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--idle-pause-ms");
    }

    @Test
    void slotSweepAndScaleSizesAreTakenAsGiven() {
        BenchConfig c = parse("--drain-slots", "1,8,32", "--scale-jobs", "5000", "--scale-delayed", "300", "--scale-abandoned", "200");
        assertThat(c.mainSlots()).as("no 64 swept: the largest").isEqualTo(32);
        assertThat(c.scaleJobs()).isEqualTo(5000);
        assertThat(c.scaleBaseJobs()).as("a tenth, when under 100 000").isEqualTo(500);
        assertThat(c.scaleDelayed()).isEqualTo(300);
        assertThat(c.scaleAbandoned()).isEqualTo(200);
        assertThatThrownBy(() -> parse("--drain-slots", "8,8"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--drain-slots");
        assertThatThrownBy(() -> parse("--scale-jobs", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--scale-jobs");
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
