package io.jobrunner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in MediaWiki mode without a Redis: config checks, the legacy file, the commands refused. */
class MediawikiModeTest {

    static final String LEGACY = """
            {
                // the PHP services' file, comments and escaped slashes included
                "groups": { "basic": { "runners": 2, "include": ["*"], "low-priority": ["htmlCacheUpdate"] } },
                "limits": { "claimTTL": { "*": 600 }, "real": { "*": 4 } },
                "redis": { "aggregators": ["127.0.0.1:6390"], "queues": ["127.0.0.1:6390"] },
                "dispatcher": "php \\/usr\\/share\\/mediawiki\\/maintenance\\/runJobs.php --wiki=%(db)x --type=%(type)x --maxtime=%(maxtime)x --memory-limit=%(maxmem)x --result=json"
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aLegacyFileIsCheckedAsItIsAndConvertsToTheSameConfig() throws IOException {
        Path json = dir.resolve("jobrunner.json");
        Files.writeString(json, LEGACY);
        Cli.Result checked = Cli.plain().runExactly("check-config", "--config-file=" + json, "--json");
        assertThat(checked.code()).as(checked.toString()).isZero();
        assertThat(checked.out()).contains("\"mode\" : \"mediawiki\"").contains("\"kind\" : \"command\"").contains("--wiki={db}");

        Cli.Result converted = Cli.plain().runExactly("mediawiki", "convert-config", json.toString());
        assertThat(converted.code()).as(converted.toString()).isZero();
        assertThat(converted.err()).contains("limits.real.* = 4 raised to 120s");
        Path conf = dir.resolve("j.conf");
        Files.writeString(conf, converted.out());
        Cli.Result again = Cli.plain().runExactly("check-config", "--config", conf.toString(), "--json");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo(checked.out());
    }

    @Test
    void aBrokenLegacyFileExits2NamingThePath() throws IOException {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, LEGACY.replace("\"runners\": 2", "\"runners\": \"2\""));
        Cli.Result r = Cli.plain().runExactly("mediawiki", "convert-config", json.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("groups.basic.runners");
    }

    @Test
    void badMediawikiKeysExit2WithTheirPath() throws IOException {
        Path conf = dir.resolve("mw.conf");
        Files.writeString(conf, "jobrunner { mode = mediawiki, runner.groups.all { slots = 1, types = [\"*\"] }\n"
                + "mediawiki.dispatch.argv = [\"php\", \"--wiki={dbx}\"] }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", conf.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.mediawiki.dispatch.argv").contains("{dbx}");

        Files.writeString(conf, "jobrunner { mode = mediawiki, runner.groups.all { slots = 1, types = [\"*\"] }\n"
                + "mediawiki.limits.process-timeout { \"*\" = 30s } }");
        Cli.Result timeout = Cli.plain().runExactly("check-config", "--config", conf.toString());
        assertThat(timeout.code()).as(timeout.toString()).isEqualTo(2);
        assertThat(timeout.err()).contains("jobrunner.mediawiki.limits.process-timeout").contains("2 x the largest");
    }

    @Test
    void checkConfigWarnsAboutAClaimTtlABatchCanOutlive() throws IOException {
        Path conf = dir.resolve("mw.conf");
        Files.writeString(conf, "jobrunner { mode = mediawiki, runner.groups.all { slots = 1, types = [\"*\"] }\n"
                + "mediawiki.limits.claim-ttl { \"*\" = 60s } }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", conf.toString(), "--quiet");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("warning: jobrunner.mediawiki.limits.claim-ttl for *").contains("run twice");
    }

    @Test
    void commandsOnJobrunnersOwnQueuesAreRefused() throws IOException {
        Path conf = dir.resolve("mw.conf");
        Files.writeString(conf, "jobrunner.mode = mediawiki\n");
        for (String[] command : new String[][]{{"stats"}, {"list", "t"}, {"abandoned", "purge"}, {"push", "t"}}) {
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--config";
            args[command.length + 1] = conf.toString();
            Cli.Result r = Cli.plain().runExactly(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("not available in mediawiki mode").contains("showJobs.php");
        }
    }
}
