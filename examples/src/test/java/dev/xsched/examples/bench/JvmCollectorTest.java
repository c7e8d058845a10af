package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's name from its MXBeans' names, as the JDK 25 collectors give them. */
class JvmCollectorTest {
    @Test
    void eachCollectorIsNamedByItsBeans() {
        assertThat(JvmCollector.fromBeanNames(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation"))).isEqualTo("G1");
        assertThat(JvmCollector.fromBeanNames(List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles",
                "ZGC Major Pauses"))).isEqualTo("ZGC");
        assertThat(JvmCollector.fromBeanNames(List.of("PS MarkSweep", "PS Scavenge"))).isEqualTo("Parallel");
        assertThat(JvmCollector.fromBeanNames(List.of("Copy", "MarkSweepCompact"))).isEqualTo("Serial");
        assertThat(JvmCollector.fromBeanNames(List.of("Shenandoah Pauses", "Shenandoah Cycles"))).isEqualTo("Shenandoah");
        assertThat(JvmCollector.fromBeanNames(List.of("Epsilon Heap"))).isEqualTo("Epsilon");
        assertThat(JvmCollector.fromBeanNames(List.of("Some Future Collector"))).isEqualTo("Some Future Collector");
        assertThat(JvmCollector.fromBeanNames(List.of())).isEqualTo("unknown");
    }

    @Test
    void thisJvmsCollectorIsOneItWasStartedWith() {
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String expected = arguments.contains("-XX:+UseZGC") ? "ZGC" : arguments.contains("-XX:+UseSerialGC") ? "Serial"
                : arguments.contains("-XX:+UseParallelGC") ? "Parallel" : null;
        if (expected != null) {
            assertThat(JvmCollector.current()).isEqualTo(expected);
        } else {
            // No collector named: the JVM's ergonomics pick G1, or Serial on a small machine.
            assertThat(JvmCollector.current()).isIn("G1", "Serial");
        }
        assertThat(JvmCollector.describe()).startsWith("Java " + Runtime.version()).endsWith(" collector");
    }
}
