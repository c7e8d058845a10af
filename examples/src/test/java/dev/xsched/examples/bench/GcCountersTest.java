package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GcCounters counts the pauses that stop the application, never a concurrent collector's cycles:
 * the names are those the JDK 25 collectors give their MXBeans.
 */
class GcCountersTest {
    @Test
    void pausesCountAndConcurrentCyclesDoNot() {
        assertThat(GcCounters.countsPauses("G1 Young Generation")).isTrue();
        assertThat(GcCounters.countsPauses("G1 Old Generation")).isTrue();
        assertThat(GcCounters.countsPauses("G1 Concurrent GC")).as("G1's remark and cleanup pauses").isTrue();
        assertThat(GcCounters.countsPauses("ZGC Minor Pauses")).isTrue();
        assertThat(GcCounters.countsPauses("ZGC Major Pauses")).isTrue();
        assertThat(GcCounters.countsPauses("Shenandoah Pauses")).isTrue();
        assertThat(GcCounters.countsPauses("ZGC Minor Cycles")).isFalse();
        assertThat(GcCounters.countsPauses("ZGC Major Cycles")).isFalse();
        assertThat(GcCounters.countsPauses("Shenandoah Cycles")).isFalse();
    }

    @Test
    void anExplicitCollectionOfThisJvmIsCounted() {
        // Whatever collector runs the tests, System.gc() pauses it at least once (G1 and Serial:
        // a full collection; ZGC: its major cycle's pauses); ExplicitGCInvokesConcurrent is off.
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .doesNotContain("-XX:+DisableExplicitGC", "-XX:+ExplicitGCInvokesConcurrent");
        GcCounters before = GcCounters.now();
        System.gc();
        GcCounters since = GcCounters.now().since(before);
        assertThat(since.count()).isPositive();
        assertThat(since.millis()).isNotNegative();
    }
}
