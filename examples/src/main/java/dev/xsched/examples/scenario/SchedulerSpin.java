package dev.xsched.examples.scenario;

import dev.xsched.core.SpinSetting;
import dev.xsched.core.XScheduler;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * How long the scheduled modes' scheduling thread spins after its work before it blocks
 * ({@link XScheduler.Builder#eventSpin}): {@value XScheduler#SPIN_PROPERTY}, else
 * {@value XScheduler#SPIN_VARIABLE}, else none, as every {@link XScheduler} reads it itself. The
 * demo reads it here as well, so that its output and results.json say what each run used.
 *
 * <p>Why no spin by default, in the demo too: three 180 s comparisons disagree. With the round on
 * the scheduling thread the thread wakes twice per online request (the online queue turning ready,
 * then idle, whose round resumes the batch model), and a 1 ms spin should resume the batch model
 * sooner. Round 38 (an H100) and round 43 (an H200, 2026-12-06) had every column better with it
 * (P99 0.53 against 0.55 ms and 0.51 against 0.56 ms; the batch model at 95.4% of alone against
 * 95.2%, and 94.98% against 94.4%); round 44 (an H100 host whose submitting threads stalled,
 * 2026-12-06) had the online P99 at 1.42 ms with it against 0.78 without, the batch model at 94.9%
 * against 95.1% (docs/results.md). A spin costs up to 1 ms of one core per event, 40 ms of CPU a
 * second at the scenario's 20 requests/s.
 *
 * @param spin the spin
 */
record SchedulerSpin(Duration spin) {
    /** The spin for this JVM: its properties, then its environment. */
    static SchedulerSpin fromEnvironment() {
        return resolve(System::getProperty, System::getenv);
    }

    /**
     * The spin that the property, else the variable sets; none where neither does (blank is unset).
     *
     * @throws IllegalArgumentException if the setting is not a number of microseconds from 0 to {@link SpinSetting#MAX}
     */
    static SchedulerSpin resolve(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String property = properties.apply(XScheduler.SPIN_PROPERTY);
        String value = property != null ? property : environment.apply(XScheduler.SPIN_VARIABLE);
        return new SchedulerSpin(SpinSetting.parse(value, XScheduler.SPIN_PROPERTY, XScheduler.SPIN_VARIABLE));
    }

    /** The spin in whole microseconds, as results.json gives it. */
    long micros() {
        return spin.toNanos() / 1000;
    }

    /** Whether the scheduling thread spins at all. */
    boolean on() {
        return !spin.isZero();
    }

    /** What the output says of a spin, one line. */
    String note() {
        return "the scheduling thread spins " + micros() + " us after its work before it blocks ("
                + XScheduler.SPIN_PROPERTY + " / " + XScheduler.SPIN_VARIABLE + "; unset: none)";
    }
}
