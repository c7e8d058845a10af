package dev.xsched.examples.scenario;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * A horizontal log axis with ticks at 1, 2 and 5 times the powers of ten (0.5, 1, 2, 5, 10, ...)
 * instead of JFreeChart's evenly spaced exponents (2.512, 3.981, 6.31, ...), so each tick reads as
 * a round number.
 */
final class OneTwoFiveLogAxis extends LogAxis {
    private static final int[] STEPS = {1, 2, 5};

    OneTwoFiveLogAxis(String label) {
        super(label);
    }

    /** The 1-2-5 values within [lower, upper]. */
    static List<Double> tickValues(double lower, double upper) {
        List<Double> values = new ArrayList<>();
        for (int exponent = (int) Math.floor(Math.log10(lower)); exponent <= (int) Math.ceil(Math.log10(upper)); exponent++) {
            for (int step : STEPS) {
                // Built from the decimal text so 0.1 * 2 prints 0.2, not 0.20000000000000004.
                double value = Double.parseDouble(step + "E" + exponent);
                if (value >= lower && value <= upper) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // JFreeChart's signature is a raw List of ticks
    protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        Range range = getRange();
        DecimalFormat format = new DecimalFormat("0.###");
        List<ValueTick> ticks = new ArrayList<>();
        for (double value : tickValues(Math.max(range.getLowerBound(), getSmallestValue()), range.getUpperBound())) {
            TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            ticks.add(new NumberTick(TickType.MAJOR, value, format.format(value), anchor, TextAnchor.CENTER, 0.0));
        }
        return ticks;
    }
}
