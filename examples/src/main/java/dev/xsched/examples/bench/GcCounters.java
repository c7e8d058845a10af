package dev.xsched.examples.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * This JVM's garbage-collection pauses so far, over all its collectors: read before and after a
 * stretch of a benchmark, the difference says whether a pause that stopped the application fell
 * inside it (a request of the scenario, an instance of a deadline task) and how long the pauses
 * took. The figures are what the collectors' MXBeans report for their pauses: G1's young and mixed
 * collections, its full collections, and its remark and cleanup pauses (the bean named "G1
 * Concurrent GC"). The beans of ZGC and Shenandoah that count whole collection cycles ("ZGC Minor
 * Cycles", "Shenandoah Cycles") are left out: those cycles run beside the application, and their
 * time, tens of milliseconds, would mark every request they overlap as held up by a collection.
 *
 * @param count  collections so far
 * @param millis milliseconds the collectors ran so far
 */
public record GcCounters(long count, long millis) {
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans().stream()
            .filter(c -> countsPauses(c.getName())).toList();

    /** The counters now. */
    public static GcCounters now() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean c : COLLECTORS) {
            // -1: the collector does not count (the MXBean's "undefined"); it adds nothing.
            count += Math.max(0, c.getCollectionCount());
            millis += Math.max(0, c.getCollectionTime());
        }
        return new GcCounters(count, millis);
    }

    /**
     * Whether the collector MXBean named {@code name} counts pauses, not concurrent cycles (the
     * beans whose names end in "Cycles": ZGC's minor and major cycles, Shenandoah's).
     */
    static boolean countsPauses(String name) {
        return !name.endsWith("Cycles");
    }

    /** What happened between {@code before} and these counters. */
    public GcCounters since(GcCounters before) {
        return new GcCounters(count - before.count, millis - before.millis);
    }
}
