package dev.xsched.examples.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Which garbage collector this JVM runs, by the names of its collector MXBeans: a latency
 * benchmark's tail depends on it (on the H200, G1's young collections of 6-8 ms were the slowest
 * requests of a 180 s scenario run, and ZGC's pauses are microseconds), so its output says which.
 */
public final class JvmCollector {
    private JvmCollector() {
    }

    /** {@return the collector of this JVM: "G1", "ZGC", "Parallel", "Serial", "Shenandoah", "Epsilon", or its beans' names} */
    public static String current() {
        return fromBeanNames(ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }

    /** The collector whose MXBeans have these names (the JDK 25 collectors' names; others are listed as they are). */
    static String fromBeanNames(List<String> names) {
        if (names.isEmpty()) {
            return "unknown";
        }
        String first = names.getFirst();
        if (first.startsWith("Epsilon ")) {
            return "Epsilon";
        }
        if (first.startsWith("G1 ")) {
            return "G1";
        }
        if (first.startsWith("ZGC ")) {
            return "ZGC";
        }
        if (first.startsWith("Shenandoah ")) {
            return "Shenandoah";
        }
        if (first.startsWith("PS ")) {
            return "Parallel";
        }
        if (names.equals(List.of("Copy", "MarkSweepCompact"))) {
            return "Serial";
        }
        return String.join(", ", names);
    }

    /** {@return a line for a benchmark's header: the Java version and the collector} */
    public static String describe() {
        return "Java " + Runtime.version() + ", " + current() + " collector";
    }
}
