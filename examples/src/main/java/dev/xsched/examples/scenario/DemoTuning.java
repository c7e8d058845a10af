package dev.xsched.examples.scenario;

import dev.xsched.core.XScheduler;
import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.examples.resnet.PersistentGrid;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Two settings of the scheduled modes and which source of each wins: the scheduler deciding on
 * the submitting thread ({@code XScheduler.Builder#decideOnSubmit}) and the batch model's
 * yieldable kernels launched as persistent grids ({@link PersistentGrid}).
 *
 * <p>{@code xsched demo} decides on the submitting thread and launches persistent grids, in one
 * process and in two: on the H200 (2026-12-03, {@code xsched-hpf}, 180 s per mode in one sitting)
 * the two gave the online model P50/P99/P99.9 1.63/1.89/3.90 ms against 1.73/2.07/4.26 ms without
 * (1.50/1.70/3.27 alone), at 3.6% of the batch job's throughput. In two processes they were left
 * off until 2026-12-05: before the online process could raise the batch process's stop words
 * itself, the suspend waited for the server's and the batch process's threads, and persistent
 * grids left the online model's GPU span where it was (rounds 20 and 23, docs/multiprocess.md).
 * With the stop words they closed the GPU-side gap between one process and two (round 37 on an
 * H100, runs minutes apart: the online model's GPU span P50/P99 0.436/0.488 ms in two processes
 * with them over 60 s, 0.501/0.662 ms without over 180 s, 0.439/0.483 ms in one process;
 * docs/multiprocess.md). Each setting comes from the first of: the demo's option
 * ({@code --decide-on-submit}, {@code --persistent-grids}); the system property or environment
 * variable that was its only switch before ({@value XScheduler#DECIDE_ON_SUBMIT_PROPERTY}, else
 * {@value XScheduler#DECIDE_ON_SUBMIT_VARIABLE}; {@value PersistentGrid#PROPERTY}), so that the
 * device scripts that set one keep their meaning; the caller's default ({@link #forDemo}'s, or off
 * for the scenario's other users, as they ran before).
 *
 * @param decideOnSubmit  whether the scheduler decides on the submitting thread
 * @param persistentGrids whether the batch model's yieldable kernels are to run as persistent grids
 *                        (never on a simulated device: {@link PersistentGrid#used})
 */
public record DemoTuning(boolean decideOnSubmit, boolean persistentGrids) {
    /** {@code xsched demo}'s settings, in one process or two, where neither an option nor a property or variable says: both on. */
    public static final DemoTuning DEMO_DEFAULT = new DemoTuning(true, true);
    /** The other users' settings where no property or variable says: both off, the library's defaults. */
    public static final DemoTuning OFF = new DemoTuning(false, false);

    /**
     * The settings of {@code xsched demo}.
     *
     * @param decideOnSubmitOption  {@code --decide-on-submit}, or null where not given
     * @param persistentGridsOption {@code --persistent-grids}, or null where not given
     * @throws IllegalArgumentException if a property or variable consulted is neither {@code true} nor {@code false}
     */
    public static DemoTuning forDemo(Boolean decideOnSubmitOption, Boolean persistentGridsOption) {
        return resolve(decideOnSubmitOption, persistentGridsOption, DEMO_DEFAULT, System::getProperty, System::getenv);
    }

    /**
     * The settings as their properties and variable say, else off: how the scenario ran outside the
     * demo before these were options.
     *
     * @throws IllegalArgumentException if one is set to neither {@code true} nor {@code false}
     */
    public static DemoTuning fromProperties() {
        return resolve(null, null, OFF, System::getProperty, System::getenv);
    }

    /**
     * The option where given, else the property or variable where set, else {@code defaults}'s; a
     * property or variable is read only where no option is given.
     *
     * @param properties  the system properties, by name
     * @param environment the environment variables, by name
     */
    static DemoTuning resolve(Boolean decideOnSubmitOption, Boolean persistentGridsOption, DemoTuning defaults,
                              UnaryOperator<String> properties, UnaryOperator<String> environment) {
        boolean decideOnSubmit = decideOnSubmitOption != null ? decideOnSubmitOption
                : decideOnSubmitSetting(properties, environment).orElse(defaults.decideOnSubmit);
        boolean persistentGrids = persistentGridsOption != null ? persistentGridsOption
                : Optional.ofNullable(properties.apply(PersistentGrid.PROPERTY))
                .map(value -> BooleanProperty.parse(PersistentGrid.PROPERTY, value)).orElse(defaults.persistentGrids);
        return new DemoTuning(decideOnSubmit, persistentGrids);
    }

    /** As {@code XScheduler} reads its default: the property, else the variable; blank is unset. */
    private static Optional<Boolean> decideOnSubmitSetting(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String property = properties.apply(XScheduler.DECIDE_ON_SUBMIT_PROPERTY);
        String name = property != null ? XScheduler.DECIDE_ON_SUBMIT_PROPERTY : XScheduler.DECIDE_ON_SUBMIT_VARIABLE;
        String value = property != null ? property : environment.apply(XScheduler.DECIDE_ON_SUBMIT_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(BooleanProperty.parse(name, value.strip()));
    }

    /** What the output says of the settings, one line; {@code simulated}: whether the device is the simulator. */
    String note(boolean simulated) {
        return "decisions on the submitting thread " + onOff(decideOnSubmit) + " (--decide-on-submit); the batch model's "
                + "yieldable kernels as persistent grids " + onOff(persistentGrids) + " (--persistent-grids)"
                + (persistentGrids && simulated
                ? ", not used on the simulator, whose cost model charges per launched block" : "");
    }

    private static String onOff(boolean value) {
        return value ? "on" : "off";
    }
}
