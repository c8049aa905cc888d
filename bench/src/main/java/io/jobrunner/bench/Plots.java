package io.jobrunner.bench;

import io.jobrunner.bench.scenario.CeilingScenario;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PNG plots of a run (XChart, headless):
 * <ol>
 *   <li>{@code throughput-vs-slots.png}: drain jobs/s against slots (median, min and max), with the ceiling
 *       and the 45% target as lines;</li>
 *   <li>{@code pickup-latency-idle.png} and {@code pickup-latency-e2e.png}: the distribution (CDF) of pickup
 *       latency, one colour per runner, the runner's first series solid and the next ones dashed, then dotted
 *       (idle: one per shape, in the order of {@code --idle-shapes}; end-to-end: saturated, then half load).</li>
 * </ol>
 */
public final class Plots {

    private Plots() {
    }

    public static List<Path> write(Path dir, Results results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (!results.throughputBySlots().isEmpty()) {
            written.add(save(throughput(results), dir.resolve("throughput-vs-slots")));
        }
        Map<String, long[]> idle = new java.util.LinkedHashMap<>();
        Map<String, long[]> e2e = new java.util.LinkedHashMap<>();
        results.latencies().forEach((name, sorted) -> (name.startsWith("idle") ? idle : e2e).put(name, sorted));
        if (!idle.isEmpty()) {
            written.add(save(latency("Idle pickup latency (push call to handler start)", idle), dir.resolve("pickup-latency-idle")));
        }
        if (!e2e.isEmpty()) {
            written.add(save(latency("End-to-end pickup latency (push call to handler start)", e2e), dir.resolve("pickup-latency-e2e")));
        }
        return written;
    }

    private static XYChart throughput(Results results) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Drain throughput against slots")
                .xAxisTitle("slots (one runner)").yAxisTitle("jobs/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        for (Map.Entry<String, TreeMap<Integer, Summary>> e : results.throughputBySlots().entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            e.getValue().forEach((slots, s) -> {
                x.add((double) slots);
                y.add(s.median());
            });
            minX = Math.min(minX, x.get(0));
            maxX = Math.max(maxX, x.get(x.size() - 1));
            XYSeries series = chart.addSeries(e.getKey() + " (median of repeats)", x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(color(e.getKey()));
            series.setMarkerColor(color(e.getKey()));
        }
        double ceiling = CeilingScenario.ceiling(results);
        if (!Double.isNaN(ceiling) && maxX > 0) {
            XYSeries top = chart.addSeries("ceiling: script calls/s", List.of(minX, maxX), List.of(ceiling, ceiling));
            top.setMarker(SeriesMarkers.NONE);
            top.setLineColor(java.awt.Color.BLACK);
            XYSeries target = chart.addSeries("target: 45% of ceiling", List.of(minX, maxX), List.of(0.45 * ceiling, 0.45 * ceiling));
            target.setMarker(SeriesMarkers.NONE);
            target.setLineColor(java.awt.Color.RED);
            target.setLineStyle(dashed());
        }
        return chart;
    }

    private static XYChart latency(String title, Map<String, long[]> distributions) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("latency, ms (log)").yAxisTitle("percentile").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("#");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        Map<java.awt.Color, Integer> seen = new java.util.HashMap<>();
        distributions.forEach((name, sorted) -> {
            if (sorted.length == 0) {
                return;
            }
            int points = Math.min(sorted.length, 2000);
            List<Double> x = new ArrayList<>(points);
            List<Double> y = new ArrayList<>(points);
            for (int i = 0; i < points; i++) {
                int idx = (int) ((long) i * (sorted.length - 1) / Math.max(1, points - 1));
                x.add(Math.max(sorted[idx] / 1e6, 0.001));
                y.add(100.0 * (idx + 1) / sorted.length);
            }
            XYSeries series = chart.addSeries(name + " (" + sorted.length + " jobs)", x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(color(name));
            int before = seen.merge(color(name), 1, Integer::sum) - 1;
            if (before > 0) {
                series.setLineStyle(before == 1 ? dashed() : dotted());
            }
        });
        return chart;
    }

    /** One colour per runner, the same in every plot. */
    private static java.awt.Color color(String series) {
        if (series.contains("runner-inline")) {
            return new java.awt.Color(0x2ca02c);
        }
        if (series.contains("client-loop")) {
            return new java.awt.Color(0x7f7f7f);
        }
        return new java.awt.Color(0x1f77b4);
    }

    private static java.awt.BasicStroke dashed() {
        return new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
    }

    private static java.awt.BasicStroke dotted() {
        return new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{1.5f, 3f}, 0f);
    }

    private static Path save(XYChart chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
