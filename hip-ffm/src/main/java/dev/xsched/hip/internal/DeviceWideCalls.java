package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceWideCallListener;

import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link DeviceWideCallListener}s of one device, and the runner of its device-wide calls
 * around them: befores in registration order, the call, afters in reverse order. Each call runs
 * the listeners registered when it began, so a listener's before and after always pair up, even
 * when it is registered or removed while the call is under way. A registration returns only once
 * every call that began without the new listener has ended: a listener that sets work aside for
 * these calls (a stream's wait on host memory) may enqueue that work as soon as it is registered,
 * and a call already past its listeners would wait for it (the stress of the cross-process stop
 * hung so, a free under way while a queue armed). Thread-safe.
 */
public final class DeviceWideCalls {
    private static final Entry[] NONE = new Entry[0];
    /** Copy-on-write: registrations are rare, each call reads the list once. */
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    /** Guards {@link #generation} and {@link #underWay}; notified when a call ends. */
    private final Object monitor = new Object();
    /** Advanced by every registration: a call of an older generation began without that listener. */
    private long generation;
    /** Calls under way by the generation they began in, oldest first. Guarded by {@link #monitor}. */
    private final TreeMap<Long, Integer> underWay = new TreeMap<>();
    /** Device-wide calls under way on this thread: a registration from inside one would wait for itself. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** One registration: its own identity, so that one listener registered twice is removed once per close. */
    private final class Entry implements DeviceWideCallListener.Registration {
        final DeviceWideCallListener listener;
        private final AtomicBoolean closed = new AtomicBoolean();

        Entry(DeviceWideCallListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                entries.remove(this);
            }
        }
    }

    /**
     * Adds {@code listener}; closing the result removes it. Returns once every call that began
     * before it was added has ended (uninterruptibly: those calls end on their own, since they
     * began before the listener could set anything in their way).
     *
     * @throws IllegalStateException if called from within a device-wide call on this thread (a
     *         listener's before or after), which would wait for itself
     */
    public DeviceWideCallListener.Registration add(DeviceWideCallListener listener) {
        Entry entry = new Entry(Objects.requireNonNull(listener, "listener"));
        if (depth.get()[0] > 0) {
            throw new IllegalStateException("a device-wide call listener cannot be registered from within a device-wide call");
        }
        boolean interrupted = false;
        synchronized (monitor) {
            entries.add(entry);
            long before = generation++;
            while (!underWay.isEmpty() && underWay.firstKey() <= before) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return entry;
    }

    /** Makes {@code call}, which waits for everything on the device, between the listeners ({@link #call}). */
    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * Makes {@code call} between the listeners registered when it begins. If a before throws,
     * the call is not made, the afters of the befores that ran are, and the exception propagates;
     * an after that throws does not keep the others from running (its exception is the call's
     * failure, or suppressed by it).
     */
    public <T> T call(Supplier<T> call) {
        Entry[] listeners;
        long began;
        synchronized (monitor) {
            // The list and the generation read together: a registration after this point waits for this call.
            listeners = entries.toArray(NONE);
            began = generation;
            underWay.merge(began, 1, Integer::sum);
        }
        int[] onThisThread = depth.get();
        onThisThread[0]++;
        try {
            return callBetween(listeners, call);
        } finally {
            onThisThread[0]--;
            synchronized (monitor) {
                if (underWay.merge(began, -1, Integer::sum) == 0) {
                    underWay.remove(began);
                    monitor.notifyAll();
                }
            }
        }
    }

    private static <T> T callBetween(Entry[] listeners, Supplier<T> call) {
        if (listeners.length == 0) {
            return call.get();
        }
        Throwable failure = null;
        T result = null;
        int began = 0;
        try {
            while (began < listeners.length) {
                listeners[began].listener.beforeDeviceWideCall();
                began++;
            }
            result = call.get();
        } catch (Throwable e) {
            failure = e;
        }
        for (int i = began - 1; i >= 0; i--) {
            try {
                listeners[i].listener.afterDeviceWideCall();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw rethrown(failure);
        }
        return result;
    }

    /** {@code failure} thrown as it is: a supplier and a listener throw only unchecked exceptions and errors. */
    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a device-wide call or its listener threw a checked exception", failure);
    }
}
