package io.jobrunner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what a run measured: the results table and the targets as Markdown (printed, and saved as
 * {@code results-<time>.md} and {@code latest.md}), and everything as JSON ({@code results-<time>.json},
 * {@code latest.json}).
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static String table(Results results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | measurement | median | min | max | unit | notes |\n");
        sb.append("|---|---|---:|---:|---:|---|---|\n");
        for (Metric m : results.metrics()) {
            Summary v = m.value();
            boolean one = v.samples().size() == 1;
            sb.append("| ").append(m.scenario()).append(" | ").append(m.name().replace("|", "/")).append(" | ")
                    .append(number(v.median())).append(" | ").append(one ? "" : number(v.min())).append(" | ")
                    .append(one ? "" : number(v.max())).append(" | ").append(m.unit()).append(" | ")
                    .append(m.note().replace("|", "/")).append(" |\n");
        }
        List<TargetResult> targets = results.targets();
        if (!targets.isEmpty()) {
            sb.append("\n| target | goal | measured (median) | verdict |\n|---|---|---|---|\n");
            for (TargetResult t : targets) {
                sb.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ")
                        .append(t.measured().replace("|", "/")).append(" | **").append(t.verdict()).append("** |\n");
            }
        }
        return sb.toString();
    }

    /** Writes the table and the JSON under {@code dir}; returns the JSON file. */
    public static Path write(Path dir, String stamp, Map<String, Object> header, Results results) throws IOException {
        Files.createDirectories(dir);
        String table = table(results);
        Files.writeString(dir.resolve("results-" + stamp + ".md"), table);
        Files.writeString(dir.resolve("latest.md"), table);
        Map<String, Object> doc = new LinkedHashMap<>(header);
        doc.put("metrics", results.metrics());
        doc.put("targets", results.targets());
        doc.put("details", results.details());
        Map<String, Object> dists = new LinkedHashMap<>();
        results.latencies().forEach((name, sorted) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("samples", sorted.length);
            for (double q : new double[]{50, 90, 99, 99.9}) {
                p.put("p" + (q == Math.rint(q) ? Integer.toString((int) q) : Double.toString(q)) + "Ms", Latencies.percentileMillis(sorted, q));
            }
            p.put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1e6);
            dists.put(name, p);
        });
        doc.put("latencyDistributions", dists);
        Path json = dir.resolve("results-" + stamp + ".json");
        JSON.writeValue(json.toFile(), doc);
        Files.copy(json, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return json;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format("%,.0f", v);
        }
        if (a >= 100) {
            return String.format("%.0f", v);
        }
        if (a >= 10) {
            return String.format("%.1f", v);
        }
        if (a >= 1) {
            return String.format("%.2f", v);
        }
        return String.format("%.3f", v);
    }
}
