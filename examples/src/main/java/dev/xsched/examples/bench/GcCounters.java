package dev.xsched.examples.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * This JVM's garbage collections so far, over all its collectors: read before and after a stretch
 * of a benchmark, the difference says whether a collection fell inside it (a request of the
 * scenario, an instance of a deadline task) and how long the collectors ran. The times are what
 * the collectors' MXBeans report (pause times for the young and mixed collections of G1, which
 * also reports its concurrent cycles under a collector of their own).
 *
 * @param count  collections so far
 * @param millis milliseconds the collectors ran so far
 */
public record GcCounters(long count, long millis) {
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

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

    /** What happened between {@code before} and these counters. */
    public GcCounters since(GcCounters before) {
        return new GcCounters(count - before.count, millis - before.millis);
    }
}
