package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceWideCallListener;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link DeviceWideCallListener}s of one device, and the runner of its device-wide calls
 * around them: befores in registration order, the call, afters in reverse order. Each call runs
 * the listeners registered when it began, so a listener's before and after always pair up, even
 * when it is registered or removed while the call is under way. Thread-safe.
 */
public final class DeviceWideCalls {
    private static final Entry[] NONE = new Entry[0];
    /** Copy-on-write: registrations are rare, device-wide calls read the list without a lock. */
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

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

    /** Adds {@code listener}; closing the result removes it. */
    public DeviceWideCallListener.Registration add(DeviceWideCallListener listener) {
        Entry entry = new Entry(Objects.requireNonNull(listener, "listener"));
        entries.add(entry);
        return entry;
    }

    /** Makes {@code call}, which waits for everything on the device, between the listeners ({@link #call}). */
    public void run(Runnable call) {
        if (entries.isEmpty()) {
            call.run();
            return;
        }
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * Makes {@code call} between the listeners: directly when there are none. If a before throws,
     * the call is not made, the afters of the befores that ran are, and the exception propagates;
     * an after that throws does not keep the others from running (its exception is the call's
     * failure, or suppressed by it).
     */
    public <T> T call(Supplier<T> call) {
        if (entries.isEmpty()) {
            return call.get();
        }
        Entry[] listeners = entries.toArray(NONE);
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
