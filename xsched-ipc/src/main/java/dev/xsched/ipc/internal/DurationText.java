package dev.xsched.ipc.internal;

import java.time.Duration;

/** A timeout or deadline as the log lines and error messages of xsched-ipc show it. */
public final class DurationText {
    private DurationText() {
    }

    /**
     * {@code 10 s} for whole seconds, else {@code 250 ms}.
     *
     * @param d a timeout or deadline
     * @return its text
     */
    public static String of(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
