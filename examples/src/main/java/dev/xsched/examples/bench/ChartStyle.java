package dev.xsched.examples.bench;

import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.CategoryItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;

import java.awt.Color;
import java.util.List;

/**
 * The look of every chart the examples draw: white plots with light grid lines, and series
 * coloured from the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies; its yellow, hard to see on white, left out).
 */
public final class ChartStyle {
    /** Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
    public static final List<Color> PALETTE = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), Color.BLACK);

    private ChartStyle() {
    }

    /** The colour of the {@code index}-th series. */
    public static Color colour(int index) {
        return PALETTE.get(index % PALETTE.size());
    }

    /** White background, light grid lines, the palette for the series of the plot's renderer. */
    public static void apply(Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        switch (plot) {
            case XYPlot xy -> {
                xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
                xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
                XYItemRenderer renderer = xy.getRenderer();
                for (int i = 0; renderer != null && i < PALETTE.size(); i++) {
                    renderer.setSeriesPaint(i, colour(i));
                }
            }
            case CategoryPlot category -> {
                category.setRangeGridlinePaint(Color.LIGHT_GRAY);
                CategoryItemRenderer renderer = category.getRenderer();
                for (int i = 0; renderer != null && i < PALETTE.size(); i++) {
                    renderer.setSeriesPaint(i, colour(i));
                }
            }
            default -> {
            }
        }
    }
}
