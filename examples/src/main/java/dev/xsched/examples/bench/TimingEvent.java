package dev.xsched.examples.bench;

import dev.xsched.hip.Event;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * An event that notes, since it was last recorded ({@link TimingStream#record}), which thread
 * first found it complete and when, and how many times it was queried; everything else goes to
 * the event it wraps. {@link LaunchCallSplit} reads it to split an XQueue's {@code synchronize()}
 * at the moment its sync point was seen complete. Used from any thread, as events are.
 */
final class TimingEvent implements Event {
    /** The first look that found the event complete since its last record: by whom, and when ({@code System.nanoTime()}). */
    record Seen(Thread thread, long at) {
    }

    private final Event delegate;
    private final LongSupplier clock;
    private final AtomicReference<Seen> firstComplete = new AtomicReference<>();
    private final AtomicInteger queries = new AtomicInteger();

    TimingEvent(Event delegate) {
        this(delegate, System::nanoTime);
    }

    /** Over {@code delegate}, timing with {@code clock} (nanoseconds, as {@code System.nanoTime()}). */
    TimingEvent(Event delegate, LongSupplier clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    /** {@code event} itself, or the event a timing one wraps: what a native stream accepts. */
    static Event unwrap(Event event) {
        return event instanceof TimingEvent timing ? timing.delegate : event;
    }

    /** Called just before the event is recorded again: what was seen of the last record no longer counts. */
    void aboutToRecord() {
        firstComplete.set(null);
        queries.set(0);
    }

    /** The first look since the last record that found the event complete, or null if none has yet. */
    Seen firstComplete() {
        return firstComplete.get();
    }

    /** Queries since the last record, by every thread. */
    int queries() {
        return queries.get();
    }

    @Override
    public boolean isComplete() {
        queries.incrementAndGet();
        boolean complete = delegate.isComplete();
        if (complete) {
            seen();
        }
        return complete;
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
        seen();
    }

    private void seen() {
        if (firstComplete.get() == null) {
            firstComplete.compareAndSet(null, new Seen(Thread.currentThread(), clock.getAsLong()));
        }
    }

    @Override
    public float elapsedMillis(Event start) {
        return delegate.elapsedMillis(unwrap(start));
    }

    @Override
    public MemorySegment nativeHandle() {
        return delegate.nativeHandle();
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
