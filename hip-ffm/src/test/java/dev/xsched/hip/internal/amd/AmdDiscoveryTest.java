package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.internal.DiscoveryGate;
import dev.xsched.hip.internal.RuntimeOnce;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AMD provider loads the HIP runtime for discovery only where ROCm could see a GPU, and on
 * request always: the gate and the runtime are injected, so both sides are tested on any machine
 * (the runtime here is a stand-in that counts its loads; AmdPlatformTest loads the real one).
 */
class AmdDiscoveryTest {
    private final AtomicInteger loads = new AtomicInteger();
    private final RuntimeOnce runtime = new RuntimeOnce(() -> {
        loads.incrementAndGet();
        return Availability.unusable("amd", "stand-in runtime: failed to initialise", List.of("stand-in: loaded"));
    });

    private AmdPlatformProvider provider(String configured, boolean kfdPresent) {
        return new AmdPlatformProvider(new DiscoveryGate("amd", () -> configured, AmdPlatformProvider.KFD,
                "no ROCm kernel driver", path -> kfdPresent), runtime);
    }

    @Test
    void withoutDevKfdAProbeLoadsNothingAndSaysWhy() {
        Availability probe = provider(null, false).probe();
        assertThat(loads).as("libamdhip64 loads").hasValue(0);
        assertThat(probe.available()).isFalse();
        assertThat(probe.summary()).startsWith("not loaded: /dev/kfd absent");
        assertThat(probe.attempts()).isEmpty();
    }

    @Test
    void withDevKfdAProbeLoadsTheRuntime() {
        Availability probe = provider(null, true).probe();
        assertThat(loads).hasValue(1);
        assertThat(probe.summary()).isEqualTo("stand-in runtime: failed to initialise");
    }

    @Test
    void anotherConfiguredPlatformKeepsItUnloadedAndAmdConfiguredLoadsItWithoutDevKfd() {
        assertThat(provider("nvidia", true).probe().summary()).contains("names 'nvidia'");
        assertThat(loads).hasValue(0);
        provider("amd", false).probe();
        assertThat(loads).hasValue(1);
    }

    @Test
    void explicitRequestsLoadItAnywayAndLaterProbesReportTheLoadedRuntime() {
        AmdPlatformProvider gated = provider(null, false);
        assertThat(gated.load().summary()).isEqualTo("stand-in runtime: failed to initialise");
        assertThat(loads).hasValue(1);
        assertThat(gated.probe().summary()).as("a probe reports what is loaded, not the gate")
                .isEqualTo("stand-in runtime: failed to initialise");
        assertThatThrownBy(gated::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("stand-in runtime");
        assertThat(loads).as("loaded once").hasValue(1);
    }
}
