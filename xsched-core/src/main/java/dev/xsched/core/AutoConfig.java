package dev.xsched.core;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Configuration of the automatic mode, read from the environment and system properties, with the
 * names of XSched's environment variables. A system property overrides the environment variable.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>environment variable</th><th>system property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code XSCHED_POLICY}</td><td>{@code xsched.policy}</td><td>{@code hpf} if installed, else
 *       {@code pass-through}</td><td>the policy, by name</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE}</td><td>{@code xsched.auto.xqueue}</td><td>{@code ON}</td>
 *       <td>{@code OFF}: {@link AutoXQueues#wrap} returns the stream itself (no scheduling)</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_LEVEL}</td><td>{@code xsched.auto.xqueue.level}</td><td>1</td>
 *       <td>preemption level: 1 = launch gating; 2 = also stop running
 *       {@linkplain dev.xsched.hip.YieldableKernels yieldable} kernels on a suspend (cooperative yield,
 *       {@link XQueueConfig#cooperativeYield()}), this library's form of XSched's level 2; level 3
 *       (interrupting running kernels) needs driver support and is rejected</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_THRESHOLD}</td><td>{@code xsched.auto.xqueue.threshold}</td><td>64</td>
 *       <td>commands in flight per queue at most (the window's ceiling with a drain budget)</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_BATCH_SIZE}</td><td>{@code xsched.auto.xqueue.batch.size}</td><td>32</td>
 *       <td>commands per sync point (in proportion to the window with a drain budget)</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US}</td><td>{@code xsched.auto.xqueue.drain.budget.us}</td><td>500</td>
 *       <td>{@linkplain XQueueConfig#drainBudget() drain budget} in microseconds: the window moves between
 *       2 commands and the threshold to keep the released work's drain time near it; 0: a fixed
 *       window, as XSched's (this library's setting; {@link XQueueConfig#DEFAULT_DRAIN_BUDGET})</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_PRIORITY}</td><td>{@code xsched.auto.xqueue.priority}</td><td>unset</td>
 *       <td>priority hint in [-255, 255] (larger = more important)</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_UTILIZATION}</td><td>{@code xsched.auto.xqueue.utilization}</td><td>unset</td>
 *       <td>utilization hint in percent</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_TIMESLICE}</td><td>{@code xsched.auto.xqueue.timeslice}</td><td>unset</td>
 *       <td>timeslice hint in microseconds</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_DEADLINE}</td><td>{@code xsched.auto.xqueue.deadline}</td><td>unset</td>
 *       <td>relative deadline hint in microseconds</td></tr>
 *   <tr><td>{@code XSCHED_AUTO_XQUEUE_WEIGHT}</td><td>{@code xsched.auto.xqueue.weight}</td><td>unset</td>
 *       <td>weight hint for fair sharing</td></tr>
 * </table>
 *
 * @param enabled          false for {@code XSCHED_AUTO_XQUEUE=OFF}: streams are used as they are
 * @param policy           the installed policy's name, lower case
 * @param threshold        commands in flight per queue
 * @param batchSize        released commands per sync point
 * @param cooperativeYield level 2: a suspend stops running yieldable kernels early
 * @param hints            the hints every automatic queue gets, in the table's order
 * @param drainBudget      the queues' {@linkplain XQueueConfig#drainBudget() drain budget}; zero: a fixed window
 */
public record AutoConfig(boolean enabled, String policy, int threshold, int batchSize, boolean cooperativeYield,
                         List<Hint> hints, Duration drainBudget) {
    /**
     * Takes the values as they are (no range checks: {@link #from} validates what it reads).
     *
     * @param enabled          false for {@code XSCHED_AUTO_XQUEUE=OFF}
     * @param policy           the policy's name
     * @param threshold        commands in flight per queue
     * @param batchSize        released commands per sync point
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param hints            copied; later changes to the list are not seen
     * @param drainBudget      the queues' drain budget, zero for a fixed window
     */
    public AutoConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(drainBudget, "drainBudget");
        hints = List.copyOf(hints);
    }

    /**
     * A configuration whose queues keep a fixed window (no drain budget).
     *
     * @param enabled          false for {@code XSCHED_AUTO_XQUEUE=OFF}
     * @param policy           the policy's name
     * @param threshold        commands in flight per queue
     * @param batchSize        released commands per sync point
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param hints            copied; later changes to the list are not seen
     */
    public AutoConfig(boolean enabled, String policy, int threshold, int batchSize, boolean cooperativeYield, List<Hint> hints) {
        this(enabled, policy, threshold, batchSize, cooperativeYield, hints, Duration.ZERO);
    }

    /** The configuration of one automatic queue under {@code name}. */
    XQueueConfig queueConfig(String name) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield).withDrainBudget(drainBudget);
    }

    /**
     * Reads the process's environment and system properties.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the setting for any malformed or unsupported value
     */
    public static AutoConfig fromSystem() {
        return from(System::getenv, System::getProperty);
    }

    /**
     * Reads the settings through the given lookups (injectable for tests).
     *
     * @param environment looks up an environment variable by name (null: unset)
     * @param properties  looks up a system property by name (null: unset); wins over the variable
     * @return the validated configuration
     * @throws IllegalArgumentException naming the setting for any malformed or unsupported value
     */
    public static AutoConfig from(Function<String, String> environment, Function<String, String> properties) {
        Settings s = new Settings(environment, properties);
        String mode = s.get("XSCHED_AUTO_XQUEUE", "ON").toUpperCase(Locale.ROOT);
        if (!mode.equals("ON") && !mode.equals("OFF")) {
            throw new IllegalArgumentException("XSCHED_AUTO_XQUEUE must be ON or OFF, got '" + mode + "'");
        }
        int level = s.integer("XSCHED_AUTO_XQUEUE_LEVEL", 1);
        if (level != 1 && level != 2) {
            throw new IllegalArgumentException("XSCHED_AUTO_XQUEUE_LEVEL=" + level + " is not supported: this library "
                    + "preempts at level 1 (launch gating, with hardware priorities where the device has them) and "
                    + "level 2 (also cooperative yield of yieldable kernels); level 3 needs driver support");
        }
        String policy = s.get("XSCHED_POLICY", Policies.names().contains("hpf") ? "hpf" : "pass-through");
        if (!Policies.names().contains(policy.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("XSCHED_POLICY=" + policy + " is not installed; installed: " + Policies.names());
        }
        int threshold = s.integer("XSCHED_AUTO_XQUEUE_THRESHOLD", XQueueConfig.DEFAULT_THRESHOLD);
        int batch = s.integer("XSCHED_AUTO_XQUEUE_BATCH_SIZE", Math.min(XQueueConfig.DEFAULT_BATCH_SIZE, threshold));
        Duration drainBudget = Duration.ofNanos(s.integer("XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US",
                (int) (XQueueConfig.DEFAULT_DRAIN_BUDGET.toNanos() / 1_000)) * 1_000L);
        try {
            new XQueueConfig("validation", threshold, batch).withDrainBudget(drainBudget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("XSCHED_AUTO_XQUEUE_THRESHOLD=" + threshold + ", XSCHED_AUTO_XQUEUE_BATCH_SIZE="
                    + batch + ", XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US=" + drainBudget.toNanos() / 1_000 + ": " + e.getMessage(), e);
        }
        List<Hint> hints = new ArrayList<>();
        s.optionalInteger("XSCHED_AUTO_XQUEUE_PRIORITY").ifPresent(p -> hints.add(new Hint.Priority(p)));
        s.optionalInteger("XSCHED_AUTO_XQUEUE_UTILIZATION").ifPresent(u -> hints.add(new Hint.Utilization(u)));
        s.optionalInteger("XSCHED_AUTO_XQUEUE_TIMESLICE").ifPresent(us -> hints.add(new Hint.Timeslice(us * 1_000L)));
        s.optionalInteger("XSCHED_AUTO_XQUEUE_DEADLINE").ifPresent(us -> hints.add(new Hint.Deadline(us * 1_000L)));
        s.optionalInteger("XSCHED_AUTO_XQUEUE_WEIGHT").ifPresent(w -> hints.add(new Hint.Weight(w)));
        return new AutoConfig(mode.equals("ON"), policy.toLowerCase(Locale.ROOT), threshold, batch, level >= 2, hints, drainBudget);
    }

    /** The property name for an environment variable name: XSCHED_AUTO_XQUEUE_BATCH_SIZE -> xsched.auto.xqueue.batch.size. */
    static String propertyName(String environmentName) {
        return environmentName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private record Settings(Function<String, String> environment, Function<String, String> properties) {
        String get(String name, String fallback) {
            String value = properties.apply(propertyName(name));
            if (value == null || value.isBlank()) {
                value = environment.apply(name);
            }
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int integer(String name, int fallback) {
            return optionalInteger(name).orElse(fallback);
        }

        java.util.Optional<Integer> optionalInteger(String name) {
            String value = get(name, null);
            if (value == null) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " (or -D" + propertyName(name) + ") must be an integer, got '" + value + "'");
            }
        }
    }
}
