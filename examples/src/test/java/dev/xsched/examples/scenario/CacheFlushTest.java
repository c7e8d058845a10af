package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.SystemProperties;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@HangGuard // runs scheduler and simulated-GPU threads in this JVM: a deadlock would hang the build
class CacheFlushTest {
    @Test
    void noPropertyOrZeroMeansNoFlushAndABadValueIsRefusedByName() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            assertThat(flushFor(sim, null)).isEmpty();
            assertThat(flushFor(sim, "0")).isEmpty();
            assertThatThrownBy(() -> flushFor(sim, "lots")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(CacheFlush.PROPERTY).hasMessageContaining("'lots'");
            assertThatThrownBy(() -> flushFor(sim, "-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("from 0 to 65536");
        }
    }

    @Test
    void eachRequestWritesTheWholeBufferWithAValueOfItsOwn() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
             Stream stream = sim.device(0).createStream();
             DeviceBuffer buffer = sim.device(0).allocate(1 << 20);
             CacheFlush flush = new CacheFlush(buffer);
             Arena arena = Arena.ofConfined()) {
            assertThat(flush.note()).contains("1 MiB");
            for (long request : List.of(0L, 1L, 254L, 255L)) {
                flush.before(stream, request);
                MemorySegment host = arena.allocate(1 << 20);
                stream.copyAndWait(host, buffer);
                byte expected = (byte) (request % 255 + 1);
                assertThat(host.toArray(JAVA_BYTE)).as("request %d", request).hasSize(1 << 20).containsOnly(expected);
            }
        }
    }

    @Test
    void theSimulatedDemoRunsWithItAndSaysSo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setProperty(CacheFlush.PROPERTY, "4");
        try {
            ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.STANDALONE_HP)).withTiming(0.6, 0.1),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.clearProperty(CacheFlush.PROPERTY);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("HP requests start with a cold cache: 4 MiB");
    }

    private static Optional<CacheFlush> flushFor(SimulatedPlatform sim, String value) {
        return SystemProperties.restoring(CacheFlush.PROPERTY, () -> {
            if (value != null) {
                System.setProperty(CacheFlush.PROPERTY, value);
            } else {
                System.clearProperty(CacheFlush.PROPERTY);
            }
            return CacheFlush.fromProperty(sim.device(0));
        });
    }
}
