package io.jobrunner.mediawiki.legacy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.mediawiki.DispatchSettings;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.runner.GroupSettings;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.service.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The legacy jobrunner.json: read as PHP read it, converted to the equivalent HOCON. */
class LegacyJobrunnerJsonTest {

    static Config load(LegacyJobrunnerJson.Converted converted) {
        return ConfigLoader.fromUserConfig(converted.config("test"), Map.of());
    }

    static LegacyJobrunnerJson.Converted convert(String json) {
        return LegacyJobrunnerJson.convert(json, Path.of("jobrunner.json"));
    }

    static String minimal(String groups, String dispatcher) {
        return "{\"groups\": " + groups + ", \"redis\": {\"queues\": [\"127.0.0.1:6390\"], \"aggregators\": [\"127.0.0.1:6390\"]},"
                + " \"dispatcher\": " + dispatcher + "}";
    }

    @Test
    void theSampleConvertsToTheEquivalentHocon() throws URISyntaxException {
        Path sample = Path.of(getClass().getResource("/legacy/jobrunner.sample.json").toURI());
        LegacyJobrunnerJson.Converted converted = LegacyJobrunnerJson.read(sample);
        Config config = load(converted);
        assertThat(MwSettings.isMediawikiMode(config)).isTrue();
        assertThat(config.getString("jobrunner.redis.uri")).isEqualTo("redis://:XXXXX@rdb1001.eqiad.wmnet:6379");
        assertThat(config.getDuration("jobrunner.runner.share-window")).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.getDuration("jobrunner.runner.shutdown-grace")).isEqualTo(Duration.ofSeconds(75));
        RunnerSettings runner = RunnerSettings.from(config);
        GroupSettings basic = runner.group("basic");
        assertThat(basic.slots()).isEqualTo(19);
        assertThat(basic.classify("refreshLinks")).isEqualTo(io.jobrunner.runner.JobClass.LOW);
        assertThat(basic.classify("anything")).isEqualTo(io.jobrunner.runner.JobClass.HIGH);
        assertThat(basic.classify("webVideoTranscode")).isNull();
        assertThat(basic.highShare()).isEqualTo(0.8);
        GroupSettings parsoid = runner.group("parsoid");
        assertThat(parsoid.classify("ParsoidCacheUpdateJobOnDependencyChange")).as("include ∪ low-priority")
                .isEqualTo(io.jobrunner.runner.JobClass.LOW);
        assertThat(runner.groups()).filteredOn(g -> g.name().equals("transcode")).allMatch(g -> g.slots() == 0);
        assertThat(runner.group("gwt").slots()).isEqualTo(1);
        MwSettings mw = MwSettings.from(config);
        assertThat(mw.queues()).extracting(s -> s.uri())
                .containsExactly("redis://:XXXXX@rdb1001.eqiad.wmnet:6379", "redis://:XXXXX@rdb1003.eqiad.wmnet:6379");
        assertThat(mw.dispatch().kind()).isEqualTo(DispatchSettings.Kind.COMMAND);
        assertThat(mw.dispatch().argv()).containsExactly("php", "/srv/mediawiki/multiversion/MWScript.php", "runJobs.php",
                "--wiki={db}", "--type={type}", "--maxtime={maxtime}", "--memory-limit={maxmem}", "--result=json");
        assertThat(mw.limits().attempts("x")).isEqualTo(3);
        assertThat(mw.limits().claimTtl("webVideoTranscode")).isEqualTo(Duration.ofDays(1));
        assertThat(mw.limits().claimTtl("x")).isEqualTo(Duration.ofHours(1));
        assertThat(mw.limits().processTimeout("x")).isEqualTo(Duration.ofSeconds(300));
        assertThat(mw.limits().memory("x")).isEqualTo("300M");
        assertThat(converted.warnings()).anyMatch(w -> w.contains("statsd"));
        assertThat(mw.warnings(Duration.ofMinutes(10), Duration.ofSeconds(75)))
                .anyMatch(w -> w.contains("claim-ttl for webVideoTranscode"));
        assertThat(converted.hocon()).contains("# groups.basic: runners -> slots");
    }

    @Test
    void commentsAreStrippedOnlyOutsideStrings() {
        String json = "{ // a comment\n \"groups\": {\"g\": {\"runners\": 1, \"include\": [\"*\"]}}, // another\n"
                + "\"redis\": {\"queues\": [\"h\"], \"aggregators\": [\"h\"]},\n"
                + "\"dispatcher\": \"curl -XPOST -s -a 'http://127.0.0.1:9005/rpc/RunJobs.php?wiki=%(db)u&type=%(type)u'\"}";
        Config config = load(convert(json));
        assertThat(config.getString("jobrunner.mediawiki.dispatch.shell-template"))
                .isEqualTo("curl -XPOST -s -a 'http://127.0.0.1:9005/rpc/RunJobs.php?wiki=%(db)u&type=%(type)u'");
        assertThat(config.getString("jobrunner.mediawiki.dispatch.kind")).isEqualTo("shell");
    }

    @Test
    void escapedSlashesAreStandardJson() {
        Config config = load(convert(minimal("{\"g\": {\"runners\": 1, \"include\": [\"*\"]}}",
                "\"curl -s 'http:\\/\\/127.0.0.1\\/rpc?wiki=%(db)u'\"")));
        assertThat(config.getString("jobrunner.mediawiki.dispatch.shell-template")).isEqualTo("curl -s 'http://127.0.0.1/rpc?wiki=%(db)u'");
    }

    @Test
    void runnersMustBeAJsonInteger() {
        assertThatThrownBy(() -> convert(minimal("{\"basic\": {\"runners\": \"19\"}}", "\"php x\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("groups.basic.runners").hasMessageContaining("JSON integer");
    }

    @Test
    void requiredKeysAreNamed() {
        assertThatThrownBy(() -> convert("{\"groups\": {}, \"dispatcher\": \"x\"}")).hasMessageContaining("redis.queues");
        assertThatThrownBy(() -> convert(minimal("{\"g\": {\"runners\": 1}}", "\"\""))).hasMessageContaining("dispatcher");
        assertThatThrownBy(() -> convert(minimal("{\"g\": {\"runners\": 1, \"include\": \"*\"}}", "\"x\"")))
                .hasMessageContaining("groups.g.include");
        assertThatThrownBy(() -> convert("{not json")).hasMessageContaining("not JSON");
    }

    @Test
    void realIsRaisedToTwiceTheLargestMaxtimeWithAWarning() {
        LegacyJobrunnerJson.Converted converted = convert("{\"groups\": {\"g\": {\"runners\": 1, \"include\": [\"*\"]}},"
                + "\"limits\": {\"real\": {\"*\": 4}, \"claimTTL\": {\"*\": \"6\"}, \"attempts\": {\"*\": 2}},"
                + "\"redis\": {\"queues\": [\"h\"], \"aggregators\": [\"h\"]}, \"dispatcher\": \"php run\"}");
        MwSettings mw = MwSettings.from(load(converted));
        assertThat(mw.limits().processTimeout("t")).isEqualTo(Duration.ofSeconds(120));
        assertThat(mw.limits().claimTtl("t")).isEqualTo(Duration.ofSeconds(6));
        assertThat(mw.limits().attempts("t")).isEqualTo(2);
        assertThat(converted.warnings()).anyMatch(w -> w.contains("limits.real.* = 4 raised to 120s"));
    }

    @Test
    void aGroupWithoutIncludeServesItsLowPriorityTypesAndOneWithNeitherIsDisabled() {
        Config config = load(convert(minimal("{\"a\": {\"runners\": 2, \"low-priority\": [\"slow\"]}, \"b\": {\"runners\": 3}}", "\"php x\"")));
        RunnerSettings runner = RunnerSettings.from(config);
        assertThat(runner.group("a").classify("slow")).isEqualTo(io.jobrunner.runner.JobClass.LOW);
        assertThat(runner.groups()).as("b never ran anything: kept, disabled")
                .filteredOn(g -> g.name().equals("b")).allMatch(g -> g.slots() == 0);
    }

    @Test
    void simpleDispatchersRunWithoutAShellAndOthersThroughIt() {
        assertThat(LegacyDispatcher.of("env MW_CONFIG_FILE=/w/LocalSettings.php php /r.php --wiki=%(db)x --type=%(type)x").argv())
                .containsExactly("env", "MW_CONFIG_FILE=/w/LocalSettings.php", "php", "/r.php", "--wiki={db}", "--type={type}");
        assertThat(LegacyDispatcher.of("php r.php --wiki=%(db)x | tee log").isCommand()).isFalse();
        assertThat(LegacyDispatcher.of("php r.php --wiki=%(db)u").isCommand()).isFalse();
        assertThat(LegacyDispatcher.of("php r.php --wiki=\"%(db)x\"").isCommand()).isFalse();
        assertThat(LegacyDispatcher.of("nice -n 5 php r.php --x=$HOME").isCommand()).isFalse();
    }

    @Test
    void groupNamesAreSanitisedAndCollisionsNumbered() {
        LegacyJobrunnerJson.Converted converted = convert(minimal(
                "{\"my group\": {\"runners\": 1, \"include\": [\"*\"]}, \"my_group\": {\"runners\": 1, \"include\": [\"*\"]}}", "\"php x\""));
        RunnerSettings runner = RunnerSettings.from(load(converted));
        assertThat(runner.groups()).extracting(GroupSettings::name).containsExactly("my_group", "my_group-2");
        assertThat(converted.warnings()).anyMatch(w -> w.contains("'my group' is named 'my_group'"));
    }

    @Test
    void passwordsArePercentEncodedAndIpv6HostsBracketed() {
        Config config = load(convert("{\"groups\": {\"g\": {\"runners\": 1, \"include\": [\"*\"]}},"
                + "\"redis\": {\"queues\": [\"[::1]:6390\", \"::1\"], \"aggregators\": [\"h:1\"], \"password\": \"p@ss:w/rd\"},"
                + "\"dispatcher\": \"php x\"}"));
        assertThat(config.getStringList("jobrunner.mediawiki.queues"))
                .containsExactly("redis://:p%40ss%3Aw%2Frd@[::1]:6390", "redis://:p%40ss%3Aw%2Frd@[::1]:6379");
        assertThat(config.getStringList("jobrunner.mediawiki.aggregators")).containsExactly("redis://:p%40ss%3Aw%2Frd@h:1");
        assertThat(List.of(config.getString("jobrunner.redis.uri"))).containsExactly("redis://:p%40ss%3Aw%2Frd@[::1]:6390");
    }
}
