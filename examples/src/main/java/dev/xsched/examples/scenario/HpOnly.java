package dev.xsched.examples.scenario;

import dev.xsched.examples.config.BooleanProperty;

import java.util.Locale;

/**
 * An experiment of the demo's scheduled modes, one process: with
 * {@code -Dxsched.scenario.hpOnly=true} (in {@code XSCHED_JAVA_OPTS}) they run the online model
 * alone, through its XQueue under the running scheduler, and no batch model. Beside the batch
 * model the online model's GPU span grew by 0.05-0.08 ms at the median on the H200 (rounds 31 and
 * 32), also for requests that stopped no batch kernel, and not from the SM clock, the power, the L2
 * or the TLBs; fewer sync points between its kernels took some of it. Measured against
 * {@code standalone-hp} (the same model on a plain stream) this mode says how much of the rest is
 * the queue's path itself (its releases, sync points and decision rounds) and how much the batch
 * model's presence on the device.
 *
 * @param on whether the scheduled modes leave the batch model out
 */
record HpOnly(boolean on) {
    static final String PROPERTY = "xsched.scenario.hpOnly";

    /**
     * The setting: off unless the property says {@code true}.
     *
     * @throws IllegalArgumentException if the property is set to neither {@code true} nor {@code false}
     */
    static HpOnly fromProperty() {
        String value = System.getProperty(PROPERTY);
        // Case and surrounding blanks forgiven, as the demo's other switches forgive blanks.
        return new HpOnly(value != null && BooleanProperty.parse(PROPERTY, value.strip().toLowerCase(Locale.ROOT)));
    }

    /** What the output says of a scheduled mode run so, one line. */
    String note() {
        return "the online model alone on its XQueue, no batch model (" + PROPERTY
                + "=true: what the queue's path costs against standalone-hp)";
    }
}
