package io.jobrunner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.InvalidJobException;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code push}: one job from flags, or many from an NDJSON file ({@link NdjsonPusher}). Exit 0 when every
 * job was pushed or was a duplicate, 1 when lines were rejected or Redis failed, 2 on bad flags.
 */
@Command(name = "push", sortOptions = false,
        description = {"Push one job, or many from an NDJSON file.",
                "One job per line: {\"id\":\"mail-1\", \"type\":\"sendMail\", \"domain\":\"wiki1\", \"params\":{...}, "
                        + "\"delay\":\"5s\", \"dedup\":true, \"dedupIgnore\":[\"ts\"], \"metadata\":{\"traceparent\":\"00-...\"}, \"unique\":\"until-finished\", \"priority\":5}; only type is required; a line with an id "
                        + "is pushed once (pushed again while stored, it counts as a duplicate), so a file can be re-run. "
                        + "Bad lines are reported with their line numbers and never stop the good ones; "
                        + "the exit code is 1 when any line was rejected."})
public final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "The job type, e.g. sendMail.")
    String type;

    @Option(names = "--domain", paramLabel = "D", description = "The domain (tenant); default: default.")
    String domain;

    @Option(names = "--params", paramLabel = "JSON", description = "The params, a JSON object, e.g. '{\"to\":\"a@example.org\"}'.")
    String params;

    @Option(names = "--delay", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Do not run before this much time has passed, with its unit: 500ms, 30s, 5m, 2h (a bare number is refused).")
    Duration delay;

    @Option(names = "--expire", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Drop the job (kept as expired) if no runner started it within this time from now, e.g. 10m.")
    Duration expire;

    @Option(names = "--id", paramLabel = "ID",
            description = "The job's id (default: a fresh one); pushed again while stored, it is reported as a duplicate.")
    String id;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--dedup", description = "Drop this job while an equal one (same type and params) waits.")
    boolean dedup;

    @Option(names = "--priority", paramLabel = "N",
            description = "0 to 9: within its queue a ready job of a higher priority is claimed first (default 0).")
    Integer priority;

    @Option(names = "--unique", paramLabel = "MODE", converter = UniqueOption.class,
            description = "How long the dedup key keeps equal jobs out (implies --dedup): while-waiting (the default),"
                    + " until-started, until-finished or for:<duration> such as for:10m.")
    io.jobrunner.client.Uniqueness unique;

    @Option(names = "--dedup-ignore", paramLabel = "P",
            description = "A top-level param left out of the dedup key (repeatable; implies --dedup).")
    List<String> dedupIgnore = new ArrayList<>();

    @Option(names = "--meta", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Metadata that travels with the job beside its params (repeatable), e.g. --meta traceparent=00-...; "
                    + "every executor sees it (TRACEPARENT or JOB_META_<KEY> for command jobs, a header for http jobs).")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--ndjson", paramLabel = "FILE", description = "Push one job per line of FILE ('-' reads stdin).")
    String ndjson;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "Jobs per pipelined push (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "4",
            description = "Batches sent before the first answer is awaited (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--rejects", paramLabel = "FILE",
            description = "Also write every rejected line as NDJSON {line, reason} to FILE.")
    Path rejects;

    @Option(names = "--progress-interval", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "5s",
            description = "Time between progress lines when not on a terminal (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    private final CliEnvironment env;

    PushCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Logging.forTool(env);
        if (ndjson == null && type == null) {
            throw usage("give a job TYPE, or --ndjson FILE");
        }
        if (ndjson != null) {
            if (type != null || domain != null || params != null || delay != null || expire != null || dedup || !dedupIgnore.isEmpty() || id != null
                    || !meta.isEmpty() || unique != null || priority != null) {
                throw usage("--ndjson takes every job's fields from its lines; do not combine it with TYPE, --id, --domain, --params, --delay, --expire, --dedup, --meta, --unique or --priority");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw usage("--batch-size must be 1 to 10000, was " + batchSize);
            }
            if (inFlight < 1 || inFlight > 64) {
                throw usage("--in-flight must be 1 to 64, was " + inFlight);
            }
            return pushFile();
        }
        return pushOne();
    }

    private int pushOne() throws JsonProcessingException {
        Job job = Job.of(type);
        if (id != null) {
            job = job.withId(id);
        }
        if (params != null) {
            job = job.withParams(parseParams(params));
        }
        if (domain != null) {
            job = job.inDomain(domain);
        }
        if (delay != null && !delay.isZero()) {
            job = job.releaseAt(Clock.systemUTC().instant().plus(delay));
        }
        if (expire != null) {
            job = job.expireAt(Clock.systemUTC().instant().plus(expire));
        }
        if (priority != null) {
            job = job.withPriority(priority);
        }
        if (unique != null) {
            job = job.unique(unique, dedupIgnore.toArray(String[]::new));
        } else if (dedup || !dedupIgnore.isEmpty()) {
            job = job.deduplicated(dedupIgnore.toArray(String[]::new));
        }
        if (!meta.isEmpty()) {
            try {
                job = job.withMetadata(meta);
            } catch (InvalidJobException e) {
                throw usage("--meta: " + e.getMessage());
            }
        }
        Config config = common.loadConfig(env);
        try (JobRunnerClient client = JobRunnerClient.connect(common.clientSettings(config))) {
            PushResult result = client.producer().push(job);
            boolean pushed = !result.pushed().isEmpty();
            String releaseAt = job.releaseAt() == null ? null : java.time.Instant.ofEpochMilli(job.releaseAt()).toString();
            if (json) {
                ObjectNode node = JobCodec.mapper().createObjectNode().put("id", job.id()).put("queue", job.queue().toString())
                        .put("pushed", pushed).put("duplicate", !pushed).put("releaseAt", releaseAt);
                env.out().println(JobCodec.mapper().writeValueAsString(node));
            } else if (!pushed) {
                env.out().println("duplicate: not pushed, " + job.queue() + " already holds job " + job.id()
                        + (job.dedupKey() == null ? "" : " or the same dedup key is held (" + (job.unique() == null ? "while-waiting"
                        : job.unique()) + ")"));
            } else {
                env.out().println("pushed " + job.id() + " to " + job.queue() + (releaseAt == null ? "" : " (delayed until " + releaseAt + ")"));
            }
        }
        return ExitCodes.OK;
    }

    private ObjectNode parseParams(String json) {
        JsonNode node;
        try {
            node = JobCodec.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw usage("--params is not valid JSON (" + e.getOriginalMessage() + "); allowed: a JSON object such as '{\"page\":\"Main\"}'");
        }
        if (!(node instanceof ObjectNode object)) {
            throw usage("--params must be a JSON object such as '{\"page\":\"Main\"}', was " + (node == null ? "empty" : node.getNodeType()));
        }
        return object;
    }

    private int pushFile() throws Exception {
        boolean stdin = ndjson.equals("-");
        Path file = stdin ? null : env.resolve(Path.of(ndjson));
        if (file != null && !Files.isReadable(file)) {
            throw usage("--ndjson: cannot read " + file);
        }
        Config config = common.loadConfig(env);
        ClientSettings settings = common.clientSettings(config);
        long size = file == null ? -1 : Files.size(file);
        try (JobRunnerClient client = JobRunnerClient.connect(settings);
             CountingStream counted = new CountingStream(stdin ? env.in() : Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8));
             RejectsFile rejectsFile = new RejectsFile(rejects == null ? null : env.resolve(rejects))) {
            NdjsonPusher pusher = new NdjsonPusher(client.producer(), client.clock(), settings.maxPayloadBytes(),
                    batchSize, inFlight, rejectsFile::write);
            NdjsonPusher.Summary summary;
            try (PushProgress ignored = new PushProgress(env, pusher, counted.count::get, size, progressInterval)) {
                summary = pusher.push(reader);
            }
            print(summary, stdin ? "stdin" : file.toString());
            return summary.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private void print(NdjsonPusher.Summary s, String source) throws JsonProcessingException {
        PrintWriter out = env.out();
        if (json) {
            ObjectNode node = JobCodec.mapper().createObjectNode().put("source", source).put("lines", s.lines()).put("blank", s.blank())
                    .put("pushed", s.pushed()).put("duplicates", s.duplicates()).put("rejected", s.rejected())
                    .put("elapsedMs", s.elapsedMillis()).put("failure", s.failure()).put("unconfirmed", s.unconfirmed());
            var rejected = node.putArray("rejections");
            s.rejections().forEach(r -> rejected.addObject().put("line", r.line()).put("reason", r.reason()));
            out.println(JobCodec.mapper().writeValueAsString(node));
            return;
        }
        double seconds = Math.max(0.001, s.elapsedMillis() / 1000.0);
        out.printf("%s: %d lines: %d pushed, %d duplicates, %d rejected%s in %.1fs (%.0f jobs/s)%n", source, s.lines(),
                s.pushed(), s.duplicates(), s.rejected(), s.blank() > 0 ? ", " + s.blank() + " blank skipped" : "",
                seconds, (s.pushed() + s.duplicates()) / seconds);
        if (s.rejected() > 0) {
            out.println("rejected lines:");
            for (NdjsonPusher.Rejection r : s.rejections()) {
                out.println("  line " + r.line() + ": " + r.reason());
            }
            if (s.rejected() > s.rejections().size()) {
                out.println("  ... and " + (s.rejected() - s.rejections().size()) + " more"
                        + (rejects == null ? " (use --rejects FILE to keep them all)" : " (all in " + rejects + ")"));
            }
        }
        if (s.failure() != null) {
            out.println("stopped: Redis failed (" + s.failure() + "); " + s.unconfirmed()
                    + " jobs were sent but not confirmed and may or may not be stored; lines after " + s.lines() + " were not read");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Counts the bytes read, for the progress bar's percentage. */
    private static final class CountingStream extends FilterInputStream {
        final AtomicLong count = new AtomicLong();

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }

    /** The optional {@code --rejects} file: every rejected line with its reason, one JSON object per line. */
    private static final class RejectsFile implements AutoCloseable {
        private final java.io.BufferedWriter writer;

        RejectsFile(Path path) throws IOException {
            this.writer = path == null ? null : Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        }

        void write(NdjsonPusher.Rejection r) {
            if (writer == null) {
                return;
            }
            try {
                ObjectNode node = JobCodec.mapper().createObjectNode().put("line", r.line()).put("reason", r.reason());
                writer.write(JobCodec.mapper().writeValueAsString(node));
                writer.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rejects file: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
