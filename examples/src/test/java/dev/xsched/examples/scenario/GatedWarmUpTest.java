package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the device gate, a scheduled mode runs the batch model once on its queue before the online
 * model starts, so no first call of its kernels is made behind a raised gate (round 14's gated
 * GEMM job hung on the H200 that way, most likely). The fake batch model's first pass takes a
 * second and the online model starts 10 ms after the mode begins: only a warm-up before the mode
 * lets a batch pass complete before the first online request.
 */
@HangGuard // runs scheduler and simulated-GPU threads in this JVM: a deadlock would hang the build
class GatedWarmUpTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Test
    void withTheGateTheBatchModelCompletesAPassBeforeTheFirstOnlineRequest(@TempDir Path dir) throws Exception {
        String out = run(dir, true);

        assertThat(calls).contains("hp");
        assertThat(calls.indexOf("lp done")).as("a whole batch pass before the first online request: %s", calls)
                .isLessThan(calls.indexOf("hp"));
        assertThat(out).contains("ran the batch model once on its gated queue before the online model starts");
    }

    @Test
    void withoutTheGateTheModeStartsAtOnce(@TempDir Path dir) throws Exception {
        String out = run(dir, false);

        assertThat(calls.indexOf("hp")).as("the online model starts while the first batch pass runs: %s", calls)
                .isLessThan(calls.indexOf("lp done"));
        assertThat(out).doesNotContain("ran the batch model once");
    }

    private String run(Path dir, boolean gate) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ScenarioOptions options = ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf")))
                .withTiming(0.2, 0.05).withDeviceGate(gate);
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
             InferenceModel hp = new Recording("hp", 0, 0);
             InferenceModel lp = new Recording("lp", 1000, 5)) {
            new ModeRunner(sim.device(0), hp, lp, options, new PrintStream(progress, true, StandardCharsets.UTF_8))
                    .run(Mode.xsched("hpf"));
        }
        return progress.toString(StandardCharsets.UTF_8);
    }

    /** A model whose passes launch nothing and take {@code firstMillis}, then {@code laterMillis}, on the host, recording its calls. */
    private final class Recording implements InferenceModel {
        private final String name;
        private final long firstMillis;
        private final long laterMillis;
        private boolean started;

        Recording(String name, long firstMillis, long laterMillis) {
            this.name = name;
            this.firstMillis = firstMillis;
            this.laterMillis = laterMillis;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int batch() {
            return 1;
        }

        @Override
        public void forward(CommandQueue queue) {
            calls.add(name);
            long millis = started ? laterMillis : firstMillis; // one thread at a time calls a model
            started = true;
            LockSupport.parkNanos(millis * 1_000_000);
            calls.add(name + " done");
        }

        @Override
        public void forwardPreemptible(CommandQueue queue) {
            forward(queue);
        }

        @Override
        public void close() {
        }
    }
}
