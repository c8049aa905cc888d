package io.jobrunner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import io.jobrunner.mediawiki.MwNames;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.MwQueueScripts;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.MwStartScan;
import io.jobrunner.mediawiki.legacy.LegacyJobrunnerJson;
import io.jobrunner.service.ConfigLoader;
import io.lettuce.core.api.sync.RedisCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mediawiki}: tools for MediaWiki mode.
 * <ul>
 *   <li>{@code convert-config F.json}: prints the HOCON equivalent of a legacy {@code jobrunner.json};</li>
 *   <li>{@code stats}: the {@code showJobs.php --group} counts of every wiki's queues on every queue server;</li>
 *   <li>{@code scan}: registers queues holding abandoned jobs for pruning, lists queues with waiting jobs that
 *       {@code s-queuesWithJobs} does not list.</li>
 * </ul>
 */
@Command(name = "mediawiki", sortOptions = false,
        description = "Tools for MediaWiki mode (jobrunner.mode = mediawiki): convert-config, stats, scan.",
        subcommands = {MediawikiCommand.ConvertConfig.class, MediawikiCommand.Stats.class, MediawikiCommand.Scan.class})
public final class MediawikiCommand implements Callable<Integer> {

    private final CliEnvironment env;

    MediawikiCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: missing subcommand: convert-config, stats or scan");
        return ExitCodes.USAGE;
    }

    /** {@code mediawiki convert-config}. */
    @Command(name = "convert-config", description = "Print the HOCON equivalent of a legacy jobrunner.json, for review.")
    static final class ConvertConfig implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.json", description = "The PHP services' config file.")
        Path file;

        @Option(names = "--out", paramLabel = "FILE.conf", description = "Write the HOCON here instead of printing it.")
        Path out;

        private final CliEnvironment env;

        ConvertConfig(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            Logging.forTool(env);
            LegacyJobrunnerJson.Converted converted = LegacyJobrunnerJson.read(env.resolve(file));
            MwSettings.from(ConfigLoader.fromUserConfig(converted.config("converted " + file), Map.of())); // the result must load
            converted.warnings().forEach(w -> env.err().println("warning: " + w));
            if (out == null) {
                env.out().print(converted.hocon());
            } else {
                Files.writeString(env.resolve(out), converted.hocon(), StandardCharsets.UTF_8);
                env.err().println("wrote " + env.resolve(out));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code mediawiki stats}. */
    @Command(name = "stats", description = "Queued, claimed (active, abandoned) and delayed jobs of every wiki's queues, on every queue server.")
    static final class Stats implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--wiki", paramLabel = "DOMAIN", description = "Only this wiki (its DB domain ID, e.g. my?hwiki).")
        String wiki;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only this job type.")
        String type;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        private final CliEnvironment env;

        Stats(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            Logging.forTool(env);
            MwSettings settings = MwSettings.from(common.loadConfig(env));
            MwQueueScripts scripts = new MwQueueScripts(settings.keyPrefix());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (var s : settings.queues()) {
                try (MwServer server = new MwServer(s, settings.downTime())) {
                    RedisCommands<String, String> redis = server.sync();
                    Map<String, String> prefixes = new LinkedHashMap<>();
                    for (String member : redis.smembers(MwQueueScripts.QUEUES_WITH_JOBS)) {
                        try {
                            MwQueue q = MwNames.decodeQueueId(member);
                            if ((wiki == null || wiki.equals(q.domain())) && (type == null || type.equals(q.type()))) {
                                prefixes.put(q.keyPrefix(), q.domain() + "/" + q.type());
                            }
                        } catch (IllegalArgumentException e) {
                            env.err().println("warning: " + e.getMessage());
                        }
                    }
                    if (wiki == null && type == null) {
                        redis.smembers(scripts.withAbandonedKey()).forEach(p -> prefixes.putIfAbsent(p, p));
                    }
                    prefixes.forEach((prefix, name) -> rows.add(row(server.name(), name, redis, prefix)));
                }
            }
            if (json) {
                env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } else {
                rows.forEach(r -> env.out().printf("%s: %d queued; %d claimed (%d active, %d abandoned); %d delayed  [%s]%n", r.get("queue"),
                        r.get("queued"), (long) r.get("active") + (long) r.get("abandoned"), r.get("active"), r.get("abandoned"),
                        r.get("delayed"), r.get("server")));
            }
            return ExitCodes.OK;
        }

        private static Map<String, Object> row(String server, String name, RedisCommands<String, String> redis, String prefix) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("server", server);
            row.put("queue", name);
            row.put("queued", redis.llen(prefix + "l-unclaimed"));
            row.put("active", redis.zcard(prefix + "z-claimed"));
            row.put("abandoned", redis.zcard(prefix + "z-abandoned"));
            row.put("delayed", redis.zcard(prefix + "z-delayed"));
            return row;
        }
    }

    /** {@code mediawiki scan}. */
    @Command(name = "scan", description = "Register queues holding abandoned jobs for pruning; list queues with waiting jobs "
            + "that s-queuesWithJobs does not list (dropped by a PHP chron).")
    static final class Scan implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        private final CliEnvironment env;

        Scan(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            MwSettings settings = MwSettings.from(common.loadConfig(env));
            MwStartScan scan = new MwStartScan(settings.keyPrefix());
            for (var s : settings.queues()) {
                try (MwServer server = new MwServer(s, settings.downTime())) {
                    MwStartScan.Found found = scan.scan(server.sync());
                    env.out().println(server.name() + ": " + found.keysSeen() + " key(s); registered for pruning: " + found.abandonedRegistered()
                            + "; unlisted queues with waiting jobs: " + found.unlisted());
                }
            }
            return ExitCodes.OK;
        }
    }
}
