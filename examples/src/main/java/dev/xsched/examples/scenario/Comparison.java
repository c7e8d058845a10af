package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;

import java.util.List;
import java.util.Optional;

/**
 * The verdict of a mode: each job against itself alone. {@code hpP99Ratio} is the mode's HP P99
 * over standalone-hp's (1.0 = as if alone; NaN without either), {@code lpShare} the batch job's
 * throughput over standalone-lp's (1.0 = as if alone; NaN without either, or where the mode ran no
 * batch job: {@link HpOnly}).
 */
record Comparison(Mode mode, double hpP99Ratio, double lpShare) {
    /** One comparison per mode that ran both jobs; empty when a standalone mode is missing. */
    static List<Comparison> of(List<ModeResult> results) {
        Optional<ModeResult> hpAlone = find(results, Mode.STANDALONE_HP);
        Optional<ModeResult> lpAlone = find(results, Mode.STANDALONE_LP);
        if (hpAlone.isEmpty() || lpAlone.isEmpty() || !hpAlone.get().hasHp() || !lpAlone.get().hasLp()) {
            return List.of();
        }
        double hpP99 = hpAlone.get().hp().percentileMillis(99);
        double lpRate = lpAlone.get().lpItersPerSec();
        return results.stream().filter(r -> !(r.mode() instanceof Mode.Standalone))
                .map(r -> new Comparison(r.mode(), r.hasHp() ? r.hp().percentileMillis(99) / hpP99 : Double.NaN,
                        r.hasLp() ? r.lpItersPerSec() / lpRate : Double.NaN))
                .toList();
    }

    static Optional<ModeResult> find(List<ModeResult> results, Mode mode) {
        return results.stream().filter(r -> r.mode().equals(mode)).findFirst();
    }
}
