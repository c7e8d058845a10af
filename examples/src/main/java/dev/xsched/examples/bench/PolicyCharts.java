package dev.xsched.examples.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PNG charts of {@code xsched bench policies}, drawn from its CSV files only, so that
 * {@code xsched chart DIR} can redraw them on another machine when the GPU host has no fonts
 * (JFreeChart then fails with "Fontconfig head is null").
 */
public final class PolicyCharts {
    private PolicyCharts() {
    }

    /** {@code xsched chart DIR}: redraws every chart whose CSV file is in {@code folder}; false when there is none. */
    public static boolean redraw(Path folder, PrintStream out) throws IOException {
        int drawn = 0;
        for (String bench : PolicyOptions.BENCHMARKS) {
            if (Files.exists(csv(folder, bench))) {
                out.println("wrote " + draw(folder, bench));
                drawn++;
            }
        }
        return drawn > 0;
    }

    /** Draws one chart; a failure (no fonts on the host, ...) is reported, never thrown. */
    static void tryDraw(Path folder, String bench, PrintStream out) {
        try {
            out.println("wrote " + draw(folder, bench));
        } catch (Throwable e) { // AWT fails with Errors as well as exceptions on hosts without fonts
            out.println("could not draw " + bench + ".png here (" + e + "); the data is in " + csv(folder, bench)
                    + ": redraw it on a machine with fonts with 'xsched chart " + folder + "'");
        }
    }

    static Path csv(Path folder, String bench) {
        return folder.resolve(bench.equals("deadline") ? "deadline-responses.csv" : bench + "-shares.csv");
    }

    static Path draw(Path folder, String bench) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String[]> rows = Files.readAllLines(csv(folder, bench)).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split(",", -1)).toList();
        JFreeChart chart = bench.equals("deadline") ? deadlineChart(rows) : shareChart(bench, rows);
        Path file = folder.resolve(bench + ".png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 620);
        return file;
    }

    private static JFreeChart shareChart(String bench, List<String[]> rows) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (String[] r : rows) {
            if (r.length < 3 || r[2].isEmpty() || r[2].equals("null")) {
                continue;
            }
            series.computeIfAbsent(r[0], XYSeries::new).add(Double.parseDouble(r[1]), 100 * Double.parseDouble(r[2]));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        String title = bench.equals("partition")
                ? "Bandwidth partition: job A's share of GPU time (target 75%, utilization hints 75/25)"
                : "Fair sharing: job A's share of GPU time (target 66.7%, CFS weights 2:1)";
        JFreeChart chart = ChartFactory.createXYLineChart(title, "time (s), 100 ms windows", "job A's share of GPU time (%)",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRangeAxis().setRange(0, 100);
        ValueMarker target = new ValueMarker(100 * PolicyReport.target(bench));
        target.setPaint(Color.DARK_GRAY);
        target.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        plot.addRangeMarker(target);
        ChartStyle.apply(plot);
        return chart;
    }

    private static JFreeChart deadlineChart(List<String[]> rows) {
        Map<String, Map<String, int[]>> counts = new LinkedHashMap<>(); // mode -> task -> {released, missed}
        for (String[] r : rows) {
            if (r.length < 6) {
                continue;
            }
            int[] c = counts.computeIfAbsent(r[0], k -> new LinkedHashMap<>()).computeIfAbsent(r[1], k -> new int[2]);
            c[0]++;
            c[1] += Integer.parseInt(r[5].trim());
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        counts.forEach((mode, tasks) -> tasks.forEach((task, c) ->
                data.addValue(c[0] == 0 ? 0 : 100.0 * c[1] / c[0], "task " + task, mode)));
        JFreeChart chart = ChartFactory.createBarChart("Deadline misses of three periodic tasks (about 80% load)", "mode",
                "deadline misses (% of released instances)", data, PlotOrientation.VERTICAL, true, false, false);
        ChartStyle.apply(chart.getCategoryPlot());
        return chart;
    }
}
