package dev.xsched.examples.bench;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.StreamWork;

import java.lang.foreign.MemorySegment;

/**
 * A stream that notes when its last launch and its last event record began and ended and which
 * thread made each; its device ({@link TimingDevice}) makes {@link TimingEvent}s, which it hands
 * to the stream it wraps as the events they wrap. Every other call goes to that stream unchanged.
 * Written by the launching and recording threads and read by the measuring one after the queue's
 * {@code synchronize()}, which orders them. {@link LaunchCallSplit} reads it.
 */
final class TimingStream implements Stream {
    /** One native launch: the thread that made it, and its start and end ({@code System.nanoTime()}). */
    record Launch(Thread thread, long start, long end) {
    }

    /** One event record: the thread that made it, its start and end, and the event (null if not a timing one). */
    record Record(Thread thread, long start, long end, TimingEvent event) {
    }

    private final Stream delegate;
    private final TimingDevice device;
    /** The last launch, whole in one write; before the first, one that no call contains. */
    private volatile Launch last = new Launch(null, Long.MIN_VALUE, Long.MIN_VALUE);
    /** The last event record, likewise. */
    private volatile Record lastRecord = new Record(null, Long.MIN_VALUE, Long.MIN_VALUE, null);

    /** Over {@code delegate}, with a timing device of its own over {@code delegate}'s. */
    TimingStream(Stream delegate) {
        this(delegate, new TimingDevice(delegate.device()));
    }

    /** Over {@code delegate}, a stream of the device {@code device} wraps. */
    TimingStream(Stream delegate, TimingDevice device) {
        this.delegate = delegate;
        this.device = device;
    }

    Launch lastLaunch() {
        return last;
    }

    Record lastRecord() {
        return lastRecord;
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        long s = System.nanoTime();
        delegate.launch(kernel, config, args);
        last = new Launch(Thread.currentThread(), s, System.nanoTime());
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void launchSliced(Kernel kernel, LaunchConfig config, KernelArgs args, int blocksPerSlice) {
        delegate.launchSliced(kernel, config, args, blocksPerSlice);
    }

    @Override
    public void launchYieldable(Kernel kernel, LaunchConfig config, KernelArgs args) {
        delegate.launchYieldable(kernel, config, args);
    }

    @Override
    public void copy(DeviceMemory dst, MemorySegment src) {
        delegate.copy(dst, src);
    }

    @Override
    public void copy(MemorySegment dst, DeviceMemory src) {
        delegate.copy(dst, src);
    }

    @Override
    public void copy(DeviceMemory dst, DeviceMemory src) {
        delegate.copy(dst, src);
    }

    @Override
    public void memset(DeviceMemory dst, int value) {
        delegate.memset(dst, value);
    }

    @Override
    public void record(Event event) {
        TimingEvent timing = event instanceof TimingEvent t ? t : null;
        if (timing != null) {
            timing.aboutToRecord();
        }
        long s = System.nanoTime();
        delegate.record(TimingEvent.unwrap(event));
        lastRecord = new Record(Thread.currentThread(), s, System.nanoTime(), timing);
    }

    @Override
    public void waitFor(Event event) {
        delegate.waitFor(TimingEvent.unwrap(event));
    }

    @Override
    public void enqueue(StreamWork work) {
        delegate.enqueue(work);
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
    }

    @Override
    public boolean isIdle() {
        return delegate.isIdle();
    }

    @Override
    public void copyAndWait(DeviceMemory dst, MemorySegment src) {
        delegate.copyAndWait(dst, src);
    }

    @Override
    public void copyAndWait(MemorySegment dst, DeviceMemory src) {
        delegate.copyAndWait(dst, src);
    }

    @Override
    public MemorySegment nativeHandle() {
        return delegate.nativeHandle();
    }

    @Override
    public boolean supportsMemoryWait() {
        return delegate.supportsMemoryWait();
    }

    @Override
    public void waitUntilEquals(DeviceMemory word, int value) {
        delegate.waitUntilEquals(word, value);
    }

    @Override
    public void waitUntilAtLeast(RegisteredHostMemory memory, long offset, int value) {
        delegate.waitUntilAtLeast(memory, offset, value);
    }

    @Override
    public boolean isAdopted() {
        return delegate.isAdopted();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "timing " + delegate;
    }
}
