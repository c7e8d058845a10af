package dev.xsched.examples.scenario;

import dev.xsched.core.XScheduler;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.examples.resnet.PersistentGrid;

import java.util.List;
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
    /**
     * {@code xsched demo}'s settings in one process where every scheduled mode is HPF with the
     * online queue's stop on turning ready ({@link StopOnReady}): the round off the submitting
     * thread. The store has stopped the batch kernels already, and the round would only delay the
     * online request's first kernel: on an H100 (round 42, 180 s per mode in one sitting) the online
     * model's P50/P99/P99.9 were 0.45/0.51/0.86 ms with the round on the scheduling thread,
     * 0.48/0.59/0.94 ms with it on the submitting thread (0.45/0.49/0.93 ms alone).
     */
    public static final DemoTuning DEMO_STOP_ON_READY = new DemoTuning(false, true);
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
     * The settings of {@code xsched demo} running {@code modes} in one process ({@code oneProcess})
     * or two: {@link #DEMO_STOP_ON_READY}'s defaults where every scheduled mode among them is HPF in
     * one process and the stop on turning ready is on ({@link StopOnReady#enabled()}), else
     * {@link #DEMO_DEFAULT}'s; an option, property or variable wins as in {@link #forDemo(Boolean, Boolean)}.
     *
     * @throws IllegalArgumentException if a property or variable consulted is neither {@code true} nor {@code false}
     */
    public static DemoTuning forDemo(Boolean decideOnSubmitOption, Boolean persistentGridsOption, List<Mode> modes,
                                     boolean oneProcess) {
        return resolve(decideOnSubmitOption, persistentGridsOption, demoDefaults(modes, oneProcess, StopOnReady.enabled()),
                System::getProperty, System::getenv);
    }

    /** The demo's defaults for {@code modes}: {@link #DEMO_STOP_ON_READY} where the stop applies to every scheduled one. */
    static DemoTuning demoDefaults(List<Mode> modes, boolean oneProcess, boolean stopOnReady) {
        boolean anyScheduled = modes.stream().anyMatch(Mode.Scheduled.class::isInstance);
        boolean allHpf = modes.stream().allMatch(mode -> !(mode instanceof Mode.Scheduled scheduled)
                || scheduled.policy().equals("hpf"));
        return oneProcess && stopOnReady && anyScheduled && allHpf ? DEMO_STOP_ON_READY : DEMO_DEFAULT;
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
