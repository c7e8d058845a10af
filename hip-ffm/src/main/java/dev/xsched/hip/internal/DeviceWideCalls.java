package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceWideCallListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The {@link DeviceWideCallListener}s of one device, and the runner of its device-wide calls
 * around them: befores in registration order, the call, afters in reverse order. Each call runs
 * the listeners registered when it began, so a listener's before and after always pair up, even
 * when it is registered or removed while the call is under way. A new listener is told when the
 * calls that began without it have ended ({@link DeviceWideCallListener#earlierCallsEnded()}): a
 * listener that sets work aside for these calls (a stream's wait on host memory) must not enqueue
 * that work before then, since such a call, past its befores, would wait for it (the stress of the
 * cross-process stop hung so, a free under way while a queue armed). Registration never blocks:
 * a call under way may wait for work that only the registering thread's progress ends. Thread-safe.
 */
public final class DeviceWideCalls {
    private static final System.Logger LOG = System.getLogger(DeviceWideCalls.class.getName());
    private static final Entry[] NONE = new Entry[0];
    /** Copy-on-write: registrations are rare, each call reads the list once. */
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    /** Guards {@link #generation}, {@link #underWay} and {@link #waiting}. */
    private final Object monitor = new Object();
    /** Advanced by every registration: a call of an older generation began without that listener. */
    private long generation;
    /** Calls under way by the generation they began in, oldest first. */
    private final TreeMap<Long, Integer> underWay = new TreeMap<>();
    /** Listeners to tell once the calls up to a generation (the key) have ended. */
    private final TreeMap<Long, List<DeviceWideCallListener>> waiting = new TreeMap<>();

    /**
     * One registration: its own identity, so that one listener registered twice is removed once per
     * close (a second close finds nothing to remove).
     */
    private final class Entry implements DeviceWideCallListener.Registration {
        final DeviceWideCallListener listener;

        Entry(DeviceWideCallListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            entries.remove(this);
        }
    }

    /**
     * Adds {@code listener}, which calls that begin from now on run; closing the result removes it.
     * Its {@link DeviceWideCallListener#earlierCallsEnded()} runs once every call that began
     * before is over: before this returns, on this thread, if none is under way, else on the
     * thread that ends the last of them.
     */
    public DeviceWideCallListener.Registration add(DeviceWideCallListener listener) {
        Entry entry = new Entry(Objects.requireNonNull(listener, "listener"));
        boolean noneEarlier;
        synchronized (monitor) {
            entries.add(entry);
            long before = generation++;
            noneEarlier = underWay.isEmpty() || underWay.firstKey() > before;
            if (!noneEarlier) {
                waiting.computeIfAbsent(before, g -> new ArrayList<>()).add(listener);
            }
        }
        if (noneEarlier) {
            tellEarlierCallsEnded(List.of(listener));
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
            // The list and the generation read together: a listener added after this point is told
            // when this call has ended.
            listeners = entries.toArray(NONE);
            began = generation;
            underWay.merge(began, 1, Integer::sum);
        }
        try {
            return callBetween(listeners, call);
        } finally {
            tellEarlierCallsEnded(ended(began));
        }
    }

    /** Counts the end of a call of generation {@code began}; returns the listeners no earlier call holds up any more. */
    private List<DeviceWideCallListener> ended(long began) {
        synchronized (monitor) {
            if (underWay.merge(began, -1, Integer::sum) == 0) {
                underWay.remove(began);
            }
            if (waiting.isEmpty()) {
                return List.of();
            }
            // Registrations of a generation below the oldest call under way wait for nothing now.
            Map<Long, List<DeviceWideCallListener>> free = underWay.isEmpty() ? waiting : waiting.headMap(underWay.firstKey(), false);
            List<DeviceWideCallListener> told = new ArrayList<>();
            free.values().forEach(told::addAll);
            free.clear();
            return told;
        }
    }

    /**
     * Runs each listener's {@code earlierCallsEnded}; an exception is logged, not thrown into an
     * unrelated call. An error is thrown, but only after the others were told: they have left the
     * waiting list, and each may hold its work back until this news (an armed queue's first wait).
     */
    private static void tellEarlierCallsEnded(List<DeviceWideCallListener> listeners) {
        Error error = null;
        for (DeviceWideCallListener listener : listeners) {
            try {
                listener.earlierCallsEnded();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a device-wide call listener failed when the calls before it ended: " + listener, e);
            } catch (Error e) {
                if (error == null) {
                    error = e;
                } else {
                    error.addSuppressed(e);
                }
            }
        }
        if (error != null) {
            throw error;
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
