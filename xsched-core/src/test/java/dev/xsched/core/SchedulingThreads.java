package dev.xsched.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/** A scheduler's scheduling thread as tests see it from outside: which thread it is, and whether it waits for events. */
final class SchedulingThreads {
    private SchedulingThreads() {
    }

    /** Real threads; the first one made, the scheduling thread (made in the scheduler's constructor), goes into {@code into}. */
    static ThreadFactory capturing(AtomicReference<Thread> into) {
        return task -> {
            Thread thread = Thread.ofPlatform().daemon().unstarted(task);
            into.compareAndSet(null, thread);
            return thread;
        };
    }

    /**
     * Whether {@code thread} is parked in its wait for the next event (the event queue's take, or
     * its timed poll while a policy timer is pending), outside every step. Parked alone is not
     * that: inside a step (a round that resumed a queue, after which the queue may already read as
     * not suspended) the thread can park on a contended queue lock too, holding the rounds' lock
     * that a submission must take to decide itself; a CI run of {@code DecideOnSubmitTest} failed
     * at round 29 of 100, most likely so. Parked in the event queue, the queue is empty and no
     * step runs.
     */
    static boolean waitsForEvents(Thread thread) {
        Thread.State parked = thread.getState();
        if (parked != Thread.State.WAITING && parked != Thread.State.TIMED_WAITING) {
            return false;
        }
        boolean inEventQueue = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("stepLocked")) {
                return false;
            }
            inEventQueue |= frame.getClassName().equals("java.util.concurrent.LinkedBlockingQueue")
                    && (frame.getMethodName().equals("take") || frame.getMethodName().equals("poll"));
        }
        return inEventQueue && thread.getState() == parked; // still parked after the stack was read
    }
}
