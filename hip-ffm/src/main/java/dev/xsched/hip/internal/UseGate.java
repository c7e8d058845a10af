package dev.xsched.hip.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds off a resource's close while native calls use it: each call {@link #tryEnter() enters},
 * and {@link #close()} shuts the gate and then waits until every call that entered has
 * {@link #exit() left}, so the caller frees the handle only once no call can still pass it to the
 * driver.
 *
 * <p>One int carries both the closed bit and the count of calls inside: entering is one CAS, leaving
 * one atomic decrement, no lock, no allocation (the launch path goes through here). Only the
 * leaving call that finds the gate closed and itself the last one inside wakes the closer.
 *
 * <p>The rule that keeps this free of deadlock: a thread never closes a resource while it is inside
 * that resource's gate. The library keeps it by entering only around its own native call, after
 * the checks that call the caller's code (a caller's {@code DeviceMemory}); inside, no callback runs
 * and only a {@code DeviceMemory}'s address and size are read. A use that blocks (a synchronize)
 * holds the gate, so a close waits for it to end, which it does once the work it waits for
 * completes.
 */
final class UseGate {
    private static final int CLOSED = 1 << 31;
    private static final int USERS = ~CLOSED;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(UseGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The closed bit and the number of calls inside. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** The thread waiting in {@link #close()}, set after it shut the gate. */
    private volatile Thread closer;

    /** Lets a call in: false, changing nothing, once the gate is closed. */
    boolean tryEnter() {
        while (true) {
            int current = (int) STATE.getVolatile(this);
            if ((current & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    /** Lets a call out; the last one out of a closed gate wakes the closer. */
    void exit() {
        int after = (int) STATE.getAndAdd(this, -1) - 1;
        if (after == CLOSED) {
            // The closer writes itself before it reads the count, and this read follows the
            // decrement: either it sees the closer here, or the closer sees the count at zero.
            Thread waiting = closer;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    boolean isClosed() {
        return ((int) STATE.getVolatile(this) & CLOSED) != 0;
    }

    /**
     * Shuts the gate; only the first call returns true, after every call inside has left (later
     * calls return false at once). An interrupt does not cut the wait short: the handle must not be
     * freed under a call; the thread's interrupt status is kept.
     */
    boolean close() {
        int current;
        do {
            current = (int) STATE.getVolatile(this);
            if ((current & CLOSED) != 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, current, current | CLOSED));
        if ((current & USERS) != 0) {
            awaitUsersGone();
        }
        return true;
    }

    private void awaitUsersGone() {
        closer = Thread.currentThread();
        boolean interrupted = false;
        while (((int) STATE.getVolatile(this) & USERS) != 0) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted(); // cleared, or park would return at once from now on
        }
        closer = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
