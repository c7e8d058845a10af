package dev.xsched.examples.reliability;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's memory as the operating system and the JVM see it: resident set size
 * ({@code VmRSS} of {@code /proc/self/status}), heap in use, and, when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary}, what Native Memory Tracking counts as committed in all
 * and outside the Java heap (through the DiagnosticCommand MBean, the same as
 * {@code jcmd PID VM.native_memory summary}).
 */
public final class MemorySampler {
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    /**
     * One sample, in KiB; the NMT figures are -1 when tracking is off.
     *
     * @param nmtCommittedKb   everything NMT counts as committed
     * @param nmtOutsideHeapKb the same without the Java heap: where a native leak (FFM arenas,
     *                         malloc in a driver, thread stacks) shows
     */
    public record Sample(long commands, long rssKb, long heapUsedKb, long nmtCommittedKb, long nmtOutsideHeapKb) {
    }

    private final boolean nmt;

    public MemorySampler() {
        this.nmt = nativeMemorySummary().map(s -> TOTAL.matcher(s).find()).orElse(false);
    }

    /** Whether Native Memory Tracking is on in this JVM. */
    public boolean nativeMemoryTracking() {
        return nmt;
    }

    public Sample sample(long commands) {
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        long total = -1;
        long outsideHeap = -1;
        if (nmt) {
            String summary = nativeMemorySummary().orElse("");
            Matcher t = TOTAL.matcher(summary);
            Matcher h = HEAP.matcher(summary);
            if (t.find() && h.find()) {
                total = Long.parseLong(t.group(2));
                outsideHeap = total - Long.parseLong(h.group(2));
            }
        }
        return new Sample(commands, residentKb().orElse(-1), heapUsed, total, outsideHeap);
    }

    private static final Pattern CATEGORY_CHANGE = Pattern.compile(
            "(?m)^-\\s+(.+?) \\(reserved=\\d+KB(?: [+-]\\d+KB)?, committed=(\\d+)KB ([+-]\\d+)KB\\)");

    /** Makes now the baseline of {@link #changesSinceBaseline()}; does nothing when NMT is off. */
    public void baseline() {
        if (nmt) {
            nativeMemory("baseline");
        }
    }

    /**
     * The NMT categories whose committed memory changed since {@link #baseline()}, largest change
     * first ("Thread +1024KB", ...); empty when NMT is off.
     */
    public java.util.List<String> changesSinceBaseline() {
        if (!nmt) {
            return java.util.List.of();
        }
        Matcher m = CATEGORY_CHANGE.matcher(nativeMemory("summary.diff", "scale=KB").orElse(""));
        java.util.List<String[]> changes = new java.util.ArrayList<>();
        while (m.find()) {
            changes.add(new String[]{m.group(1).strip(), m.group(3)});
        }
        changes.sort((a, b) -> Long.compare(Math.abs(Long.parseLong(b[1])), Math.abs(Long.parseLong(a[1]))));
        return changes.stream().map(c -> c[0] + " " + c[1] + " KiB").toList();
    }

    /** VmRSS, where /proc exists (Linux). */
    static OptionalLong residentKb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return OptionalLong.empty();
        }
        try {
            Matcher m = RSS.matcher(Files.readString(status));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.Optional<String> nativeMemorySummary() {
        return nativeMemory("summary", "scale=KB");
    }

    /** {@code jcmd PID VM.native_memory ARGS}, through the DiagnosticCommand MBean. */
    private static java.util.Optional<String> nativeMemory(String... args) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[]{args}, new String[]{String[].class.getName()});
            return java.util.Optional.of(String.valueOf(text));
        } catch (JMException e) {
            return java.util.Optional.empty();
        }
    }
}
