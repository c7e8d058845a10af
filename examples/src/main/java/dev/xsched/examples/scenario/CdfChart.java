package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.ChartStyle;
import dev.xsched.examples.bench.Mode;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;

/**
 * The demo's chart ({@value #FILE}): on the left the CDF of the high-priority latency per mode
 * (log axis with 1-2-5 ticks, P50 and P99 marked, each mode's P50 and P99 in the legend), on the
 * right the batch job's throughput per mode against it alone. One colour per mode in both panels,
 * from {@link ChartStyle#PALETTE}.
 */
final class CdfChart {
    static final String FILE = "latency-cdf.png";
    private static final int WIDTH = 1500;
    private static final int HEIGHT = 650;
    private static final int CDF_WIDTH = 960;
    private static final BasicStroke DASHED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1,
            new float[] {6, 4}, 0);

    /** The chart's heading: a title and a subtitle (the device; for a simulated run, saying so once). */
    record Heading(String title, String subtitle) {
    }

    private CdfChart() {
    }

    static Path write(List<ModeResult> results, Heading heading, Path folder) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setPaint(Color.WHITE);
            g2.fillRect(0, 0, WIDTH, HEIGHT);
            boolean anyLp = results.stream().anyMatch(ModeResult::hasLp);
            int cdfWidth = anyLp ? CDF_WIDTH : WIDTH;
            cdf(results, heading).draw(g2, new Rectangle2D.Double(0, 0, cdfWidth, HEIGHT));
            if (anyLp) {
                throughput(results).draw(g2, new Rectangle2D.Double(cdfWidth, 0, WIDTH - cdfWidth, HEIGHT));
            }
        } finally {
            g2.dispose();
        }
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(out, image);
        }
        return file;
    }

    /** The colour of the {@code index}-th mode of the run (the same in both panels). */
    static Color colour(int index) {
        return ChartStyle.colour(index);
    }

    private static JFreeChart cdf(List<ModeResult> results, Heading heading) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < results.size(); i++) {
            ModeResult r = results.get(i);
            if (!r.hasHp()) {
                continue;
            }
            XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s: P50 %s ms, P99 %s ms", r.mode(),
                    round(r.hp().percentileMillis(50)), round(r.hp().percentileMillis(99))));
            long[] sorted = r.hp().sorted();
            // At most ~2000 points per curve: enough for a smooth line, small file.
            int step = Math.max(1, sorted.length / 2000);
            for (int k = 0; k < sorted.length; k += step) {
                series.add(Math.max(1e-3, sorted[k] / 1e6), (k + 1) / (double) sorted.length);
            }
            series.add(Math.max(1e-3, sorted[sorted.length - 1] / 1e6), 1.0);
            renderer.setSeriesPaint(data.getSeriesCount(), colour(i));
            renderer.setSeriesStroke(data.getSeriesCount(), new BasicStroke(2.2f));
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(heading.title(), null, "fraction of requests", data,
                PlotOrientation.VERTICAL, true, false, false);
        if (heading.subtitle() != null) {
            chart.addSubtitle(new TextTitle(heading.subtitle(), new Font(Font.SANS_SERIF, Font.ITALIC, 13)));
        }
        XYPlot plot = chart.getXYPlot();
        OneTwoFiveLogAxis axis = new OneTwoFiveLogAxis("high-priority latency (ms, log scale)");
        axis.setSmallestValue(1e-2);
        plot.setDomainAxis(axis);
        plot.getRangeAxis().setRange(0, 1.05);
        plot.addRangeMarker(percentileMarker(0.5, "P50"));
        plot.addRangeMarker(percentileMarker(0.99, "P99"));
        ChartStyle.apply(plot);
        plot.setRenderer(renderer); // after the palette: one colour per mode, the same in both panels
        return chart;
    }

    private static ValueMarker percentileMarker(double fraction, String label) {
        ValueMarker marker = new ValueMarker(fraction, Color.DARK_GRAY, DASHED);
        marker.setLabel(label);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        marker.setLabelPaint(Color.DARK_GRAY);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        return marker;
    }

    /** The batch job's throughput per mode, as a share of its standalone throughput where that mode ran. */
    private static JFreeChart throughput(List<ModeResult> results) {
        double alone = Comparison.find(results, Mode.STANDALONE_LP).filter(ModeResult::hasLp)
                .map(ModeResult::lpItersPerSec).orElse(Double.NaN);
        boolean relative = !Double.isNaN(alone);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Paint> paints = new java.util.ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ModeResult r = results.get(i);
            if (r.hasLp()) {
                data.addValue(relative ? 100 * r.lpItersPerSec() / alone : r.lpItersPerSec(), "batch job", r.mode().label());
                paints.add(colour(i));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Batch job (ResNet-50) throughput", null,
                relative ? "% of its throughput alone" : "iterations / s", data, PlotOrientation.VERTICAL, false, false, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return paints.get(column);
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat(relative ? "0'%'" : "0.00")));
        renderer.setDefaultItemLabelsVisible(true);
        plot.setRenderer(renderer);
        if (relative) {
            plot.getRangeAxis().setRange(0, 110);
        }
        plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        ChartStyle.apply(plot);
        return chart;
    }

    private static String round(double ms) {
        return ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }
}
