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
 *   <li>{@code pickup-latency.png}: the distribution (CDF) of pickup latency, idle and end-to-end.</li>
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
        if (!results.latencies().isEmpty()) {
            written.add(save(latency(results.latencies()), dir.resolve("pickup-latency")));
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
            List<Double> lo = new ArrayList<>();
            List<Double> hi = new ArrayList<>();
            e.getValue().forEach((slots, s) -> {
                x.add((double) slots);
                y.add(s.median());
                lo.add(s.min());
                hi.add(s.max());
            });
            minX = Math.min(minX, x.get(0));
            maxX = Math.max(maxX, x.get(x.size() - 1));
            chart.addSeries(e.getKey() + " (median)", x, y).setMarker(SeriesMarkers.CIRCLE);
            if (y.size() > 0 && !lo.equals(hi)) {
                chart.addSeries(e.getKey() + " (min)", x, lo).setMarker(SeriesMarkers.NONE).setLineStyle(dashed());
                chart.addSeries(e.getKey() + " (max)", x, hi).setMarker(SeriesMarkers.NONE).setLineStyle(dashed());
            }
        }
        double ceiling = CeilingScenario.ceiling(results);
        if (!Double.isNaN(ceiling) && maxX > 0) {
            chart.addSeries("ceiling: script calls/s", List.of(minX, maxX), List.of(ceiling, ceiling))
                    .setMarker(SeriesMarkers.NONE);
            chart.addSeries("target: 45% of ceiling", List.of(minX, maxX), List.of(0.45 * ceiling, 0.45 * ceiling))
                    .setMarker(SeriesMarkers.NONE).setLineStyle(dashed());
        }
        return chart;
    }

    private static XYChart latency(Map<String, long[]> distributions) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Pickup latency (enqueue to handler start)")
                .xAxisTitle("latency, ms (log)").yAxisTitle("percentile").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("#");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
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
            chart.addSeries(name + " (" + sorted.length + " jobs)", x, y).setMarker(SeriesMarkers.NONE);
        });
        return chart;
    }

    private static java.awt.BasicStroke dashed() {
        return new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
    }

    private static Path save(XYChart chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
