package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.PriorityRange;

import dev.xsched.hip.sim.SimulatedPlatform;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Matching hardware stream priorities to XSched priorities.
 *
 * <p>Suspending a queue (Level-1 preemption) stops new launches, but what it already released
 * still runs: a high-priority command can wait for up to {@code threshold} low-priority commands.
 * Where the device honours stream priorities (NVIDIA; on current ROCm they are off by default),
 * a command of a higher-priority stream takes the next free compute unit, so the wait shrinks to
 * about one thread block. The two combine: launch gating keeps low-priority work off the hardware,
 * hardware priority lets the high-priority work pass what is already there.
 *
 * <p>A stream's hardware priority is fixed when it is created, and so is an XQueue's: a program
 * creates its important queues with
 * {@code scheduler.createQueue(device, HardwarePriorities.streamPriorityFor(p, device.streamPriorityRange()), config)}
 * and gives them {@code new Hint.Priority(p)}, or calls {@link #createQueue} which does both.
 * Changing the {@code Hint.Priority} later changes only the scheduling priority.
 */
public final class HardwarePriorities {
    private HardwarePriorities() {
    }

    /** {@value}: {@code on}, {@code off} or {@code auto} (the default): overrides {@link #honoured(Device)}. */
    public static final String PROPERTY = "xsched.hwpriority";

    /**
     * Whether a device's stream priorities are worth relying on, and why.
     *
     * @param honoured whether a higher-priority stream overtakes lower ones at block boundaries
     * @param reason   one line for logs and benchmark output
     */
    public record Support(boolean honoured, String reason) {
    }

    /**
     * Whether {@code device} honours hardware stream priorities, from the {@value #PROPERTY}
     * system property and the device. Callers use it to fall back to launch gating alone (and
     * to prefer sliced launches) where it does not.
     *
     * @param device the device to judge
     * @return whether to rely on its stream priorities; see {@link #probe} for the rules
     * @throws IllegalArgumentException if the property is set to something other than on, off or auto
     */
    public static boolean honoured(Device device) {
        return probe(device, System::getProperty).honoured();
    }

    /**
     * The decision of {@link #honoured(Device)} with its reason, reading properties through
     * {@code properties}:
     * <ul>
     *   <li>a device reporting a single priority level: never (there is nothing to use);</li>
     *   <li>{@value #PROPERTY}{@code =off}: no; {@code =on}: yes (for example an AMD system whose
     *       KFD was configured to enable stream priorities);</li>
     *   <li>otherwise ({@code auto}): NVIDIA yes (measured on an H200: a high-priority kernel waits
     *       about one thread block); AMD no, because current ROCm disables stream priority in the
     *       kernel driver (KFD) by default even though the runtime reports a range; the simulator
     *       as it was built ({@link SimulatedPlatform#hardwarePriority()}); anything else no.</li>
     * </ul>
     *
     * @param device     the device to judge; only its reported range, platform and name are read
     * @param properties looks up a system property by name (null: unset)
     * @return the decision and a one-line reason
     * @throws IllegalArgumentException for a property value other than on, off or auto
     */
    public static Support probe(Device device, Function<String, String> properties) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(properties, "properties");
        PriorityRange range = device.streamPriorityRange();
        String platform = device.platform().name();
        if (!range.hasPriorities()) {
            return new Support(false, platform + " device " + device.name() + " reports a single stream priority " + range.least());
        }
        String value = properties.apply(PROPERTY);
        String mode = value == null ? "auto" : value.strip().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "on", "true" -> {
                return new Support(true, PROPERTY + "=" + value + " (priorities " + range.least() + ".." + range.greatest() + ")");
            }
            case "off", "false" -> {
                return new Support(false, PROPERTY + "=" + value);
            }
            case "auto", "" -> {
                // detection below
            }
            default -> throw new IllegalArgumentException(PROPERTY + " must be on, off or auto, got '" + value + "'");
        }
        if (device.platform() instanceof SimulatedPlatform sim) {
            return new Support(sim.hardwarePriority(), "simulator with hardware priority " + (sim.hardwarePriority() ? "on" : "off"));
        }
        return switch (platform) {
            case "nvidia" -> new Support(true, "NVIDIA, priorities " + range.least() + ".." + range.greatest());
            case "amd" -> new Support(false, "AMD: ROCm disables stream priority in KFD by default (set "
                    + PROPERTY + "=on where it is enabled)");
            default -> new Support(false, "platform " + platform + " is not known to honour stream priorities");
        };
    }

    /**
     * The stream priority of {@code range} for an XSched priority. XSched priority 0 and below map
     * to the device's default (its least priority: the hardware has nothing lower than what every
     * other stream gets); priorities 1..255 spread over the higher levels, so that any positive
     * priority is above the default and 255 is the greatest. With a single-level range, that
     * level. Out-of-range input is clamped to [-255, 255].
     *
     * <p>With the range 0 (least) .. -5 (greatest) of an H200: 0 -> 0, 1..51 -> -1, 52..102 -> -2,
     * ..., 205..255 -> -5.
     *
     * @param xschedPriority the {@link Hint.Priority} value; larger is more important
     * @param range          the device's {@link Device#streamPriorityRange()}
     * @return a stream priority inside {@code range} (numerically lower is more important)
     */
    public static int streamPriorityFor(int xschedPriority, PriorityRange range) {
        Objects.requireNonNull(range, "range");
        int p = Math.clamp(xschedPriority, Hint.Priority.MIN, Hint.Priority.MAX);
        int higherLevels = range.least() - range.greatest();
        if (p <= 0 || higherLevels == 0) {
            return range.least();
        }
        // Ceiling division: 1 is already one level above the default.
        int level = (p * higherLevels + Hint.Priority.MAX - 1) / Hint.Priority.MAX;
        return range.least() - level;
    }

    /**
     * A queue of {@code device} whose stream has the hardware priority matching {@code xschedPriority},
     * with that priority given as a hint. The stream priority is applied whether or not the device
     * {@linkplain #honoured honours} it: where it does not, it is harmless.
     *
     * @param scheduler      the scheduler to create the queue in
     * @param device         the device to run on
     * @param xschedPriority the priority, in [-255, 255]; larger is more important
     * @param config         the queue's configuration
     * @return the new queue, owning its stream, suspended until the policy's first decision
     * @throws IllegalArgumentException if {@code xschedPriority} is out of range (nothing is created)
     * @throws IllegalStateException if the scheduler is closed
     * @throws dev.xsched.hip.HipException if the stream cannot be created
     */
    public static XQueue createQueue(XScheduler scheduler, Device device, int xschedPriority, XQueueConfig config) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(device, "device");
        Hint.Priority hint = new Hint.Priority(xschedPriority); // validates before anything is created
        int streamPriority = streamPriorityFor(xschedPriority, device.streamPriorityRange());
        return scheduler.createQueue(device, streamPriority, config).hint(hint);
    }
}
