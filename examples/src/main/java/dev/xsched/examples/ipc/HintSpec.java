package dev.xsched.examples.ipc;

import dev.xsched.core.policy.Hint;

import java.util.Locale;

/**
 * A hint on the command line, {@code NAME=VALUE}: {@code priority=10}, {@code utilization=25},
 * {@code weight=2048}, {@code deadline-us=5000}, {@code timeslice-us=2000}.
 */
public final class HintSpec {
    public static final String FORMS = "priority=N (-255..255), utilization=PERCENT, weight=N, deadline-us=N, timeslice-us=N";

    private HintSpec() {
    }

    /** @throws IllegalArgumentException for an unknown name or a value out of range, naming the accepted forms */
    public static Hint parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("a hint is NAME=VALUE, got '" + spec + "'; one of " + FORMS);
        }
        String name = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        long value;
        try {
            value = Long.parseLong(spec.substring(eq + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hint " + name + " needs an integer, got '" + spec.substring(eq + 1) + "'");
        }
        return switch (name) {
            case "priority" -> new Hint.Priority(Math.toIntExact(value));
            case "utilization" -> new Hint.Utilization(Math.toIntExact(value));
            case "weight" -> new Hint.Weight(Math.toIntExact(value));
            case "deadline-us" -> new Hint.Deadline(Math.multiplyExact(value, 1_000L));
            case "timeslice-us" -> new Hint.Timeslice(Math.multiplyExact(value, 1_000L));
            default -> throw new IllegalArgumentException("unknown hint '" + name + "'; one of " + FORMS);
        };
    }
}
