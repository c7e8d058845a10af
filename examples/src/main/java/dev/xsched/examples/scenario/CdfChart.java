package dev.xsched.examples.scenario;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The high-priority latency CDF of every mode, drawn with JFreeChart into a PNG. */
final class CdfChart {
    private CdfChart() {
    }

    static Path write(List<ModeResult> results, String title, Path folder) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (ModeResult r : results) {
            if (!r.hasHp()) {
                continue;
            }
            XYSeries series = new XYSeries(r.mode().label());
            long[] sorted = r.hp().sorted();
            // At most ~2000 points per curve: enough for a smooth line, small file.
            int step = Math.max(1, sorted.length / 2000);
            for (int i = 0; i < sorted.length; i += step) {
                series.add(Math.max(1e-3, sorted[i] / 1e6), (i + 1) / (double) sorted.length);
            }
            series.add(Math.max(1e-3, sorted[sorted.length - 1] / 1e6), 1.0);
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "high-priority latency (ms, log scale)", "fraction of requests",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis axis = new LogAxis("high-priority latency (ms, log scale)");
        axis.setSmallestValue(1e-2);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        plot.setDomainAxis(axis);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        Path file = folder.resolve("latency-cdf.png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 620);
        return file;
    }
}
