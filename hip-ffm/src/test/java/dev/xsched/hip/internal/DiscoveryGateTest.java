package dev.xsched.hip.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** When probing may load a runtime, and the once-per-process loading it relies on. */
class DiscoveryGateTest {
    private static final Path NODE = Path.of("/dev/kfd");

    private static DiscoveryGate gate(String configured, boolean nodePresent) {
        return new DiscoveryGate("amd", () -> configured, NODE, "no ROCm kernel driver", path -> path.equals(NODE) && nodePresent);
    }

    @Test
    void withNothingConfiguredTheDeviceNodeDecides() {
        assertThat(gate(null, true).reasonNotToLoad()).isEmpty();
        assertThat(gate(null, false).reasonNotToLoad()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("not loaded: /dev/kfd absent (no ROCm kernel driver)")
                .contains("Hip.open(\"amd\") or HIP_PLATFORM=amd loads it anyway"));
    }

    @Test
    void aConfiguredPlatformOverridesTheDeviceNode() {
        assertThat(gate("amd", false).reasonNotToLoad()).as("HIP_PLATFORM=amd loads without /dev/kfd").isEmpty();
        assertThat(gate("nvidia", true).reasonNotToLoad()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("not loaded: HIP_PLATFORM (or -Dxsched.hip.platform) names 'nvidia'"));
        assertThat(gate("sim", true).reasonNotToLoad()).isPresent();
    }

    @Test
    void withoutADeviceNodeOnlyTheConfigurationCounts() {
        DiscoveryGate nvidia = new DiscoveryGate("nvidia", () -> null, null, null, path -> false);
        assertThat(nvidia.reasonNotToLoad()).isEmpty();
        DiscoveryGate otherConfigured = new DiscoveryGate("nvidia", () -> "amd", null, null, path -> false);
        assertThat(otherConfigured.reasonNotToLoad()).hasValueSatisfying(reason -> assertThat(reason).contains("names 'amd'"));
    }

    @Test
    void theRuntimeLoadsOnceAndSaysWhetherItHasWithoutLoading() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        RuntimeOnce runtime = new RuntimeOnce(() -> {
            loads.incrementAndGet();
            return "loaded";
        });
        assertThat(runtime.ifLoaded()).isEmpty();
        assertThat(loads).hasValue(0);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    assertThat(runtime.get()).isEqualTo("loaded");
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("a loader thread hung").isFalse();
        }
        assertThat(failure.get()).isNull();
        assertThat(loads).as("eight threads at once, one load").hasValue(1);
        assertThat(runtime.ifLoaded()).contains("loaded");
    }
}
