package io.jobrunner.cli.quickstart;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.service.metrics.MetricName;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the quickstart's live view: per demo type pushed, done, ready, delayed, running, retried and failed
 * (abandoned), the throughput, and how the group's slot time splits between the high and the low class.
 * On a terminal the table is redrawn in place; otherwise one summary line is printed per call, so logs and
 * pipes stay readable.
 */
public final class QuickstartScreen {

    /** A snapshot of everything shown. */
    public record Snapshot(Map<String, QueueCounts> countsByType, Map<String, Integer> pushed, Map<String, Integer> duplicates,
                           MetricRegistry metrics, Double highShare, double highShareTarget, double utilisation, int slots,
                           double elapsedSeconds) {

        long meter(String type, String kind) {
            Meter m = metrics.getMeters().get(MetricName.of("jobrunner_jobs_" + kind, "type", type));
            return m == null ? 0 : m.getCount();
        }

        long done() {
            return DemoWorkload.TYPES.stream().mapToLong(t -> meter(t, "succeeded")).sum();
        }

        long failed() {
            return countsByType.values().stream().mapToLong(QueueCounts::abandoned).sum();
        }

        long waiting() {
            return countsByType.values().stream().mapToLong(c -> c.ready() + c.delayed() + c.claimed()).sum();
        }

        long pushedTotal() {
            return pushed.values().stream().mapToLong(Integer::longValue).sum();
        }

        /** Every pushed job ran to its end (success or abandoned) and nothing waits. */
        public boolean finished() {
            return waiting() == 0 && done() + DemoWorkload.TYPES.stream().mapToLong(t -> meter(t, "abandoned")).sum() >= pushedTotal();
        }
    }

    private final PrintWriter out;
    private final boolean terminal;
    private int drawnLines;
    private long lastDone;
    private double lastElapsed;
    private double recentRate;

    public QuickstartScreen(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows the snapshot: redraws the table on a terminal, prints one line otherwise. */
    public void show(Snapshot s) {
        updateRate(s);
        if (terminal) {
            if (drawnLines > 0) {
                out.print("\u001b[" + drawnLines + "F\u001b[J");
            }
            List<String> lines = table(s);
            lines.forEach(out::println);
            drawnLines = lines.size();
        } else {
            out.println(line(s));
        }
        out.flush();
    }

    /** The final table, printed once whatever the output is. */
    public void showFinal(Snapshot s) {
        updateRate(s);
        if (terminal && drawnLines > 0) {
            out.print("\u001b[" + drawnLines + "F\u001b[J");
        }
        table(s).forEach(out::println);
        drawnLines = 0;
        out.flush();
    }

    private void updateRate(Snapshot s) {
        double dt = s.elapsedSeconds() - lastElapsed;
        if (dt >= 0.5) {
            recentRate = (s.done() - lastDone) / dt;
            lastDone = s.done();
            lastElapsed = s.elapsedSeconds();
        }
    }

    List<String> table(Snapshot s) {
        List<String> lines = new java.util.ArrayList<>();
        String format = "%-22s %7s %7s %7s %8s %8s %8s %7s";
        lines.add(String.format(format, "TYPE", "PUSHED", "DONE", "READY", "DELAYED", "RUNNING", "RETRIED", "FAILED"));
        long[] total = new long[7];
        for (String type : DemoWorkload.TYPES) {
            QueueCounts c = s.countsByType().get(type);
            long[] row = {s.pushed().getOrDefault(type, 0), s.meter(type, "succeeded"), c == null ? 0 : c.ready(),
                    c == null ? 0 : c.delayed(), c == null ? 0 : c.claimed(), s.meter(type, "retried"), c == null ? 0 : c.abandoned()};
            for (int i = 0; i < row.length; i++) {
                total[i] += row[i];
            }
            String name = type + (type.equals(DemoWorkload.REINDEX) ? " (low)" : "");
            int dups = s.duplicates().getOrDefault(type, 0);
            lines.add(String.format(format, name, row[0], row[1], row[2], row[3], row[4], row[5], row[6])
                    + (dups > 0 ? "  (" + dups + " duplicates dropped)" : ""));
        }
        lines.add(String.format(format, "TOTAL", total[0], total[1], total[2], total[3], total[4], total[5], total[6]));
        lines.add(footer(s));
        return lines;
    }

    private String line(Snapshot s) {
        return String.format("quickstart %.1fs: %d/%d done, %d waiting, %d retried, %d failed; %s",
                s.elapsedSeconds(), s.done(), s.pushedTotal(), s.waiting(),
                DemoWorkload.TYPES.stream().mapToLong(t -> s.meter(t, "retried")).sum(), s.failed(), rates(s));
    }

    private String footer(Snapshot s) {
        return String.format("%s; %d slots %.0f%% busy; %.1fs", rates(s), s.slots(), s.utilisation() * 100, s.elapsedSeconds());
    }

    private String rates(Snapshot s) {
        String share = s.highShare() == null ? "slot time: idle"
                : String.format("slot time high %.0f%% / low %.0f%% (target %.0f/%.0f)", s.highShare() * 100, (1 - s.highShare()) * 100,
                s.highShareTarget() * 100, (1 - s.highShareTarget()) * 100);
        double overall = s.elapsedSeconds() > 0 ? s.done() / s.elapsedSeconds() : 0;
        return String.format("throughput %.0f jobs/s (now %.0f/s); %s", overall, recentRate, share);
    }

    /** Sums queue counts per type. */
    public static Map<String, QueueCounts> byType(List<QueueCounts> counts) {
        Map<String, QueueCounts> out = new LinkedHashMap<>();
        for (QueueCounts c : counts) {
            out.merge(c.queue().type(), c, (a, b) -> new QueueCounts(a.queue(), a.ready() + b.ready(), a.delayed() + b.delayed(),
                    a.claimed() + b.claimed(), a.abandoned() + b.abandoned()));
        }
        return out;
    }
}
