package dev.xsched.hip.internal.sim;

/**
 * One event inside the engine. Each record gets the next generation number; the event is complete
 * when its latest record has completed, and an event never recorded counts as complete (as in
 * HIP and CUDA). Written under the engine's lock; {@link #isComplete()} may also be read without it
 * (its two counts are volatile), as {@link SimEngine#isComplete} does while nothing is due.
 */
final class EventState {
    final int device;
    private volatile long recorded;
    private volatile long completed;
    private long completedAtNanos;

    EventState(int device) {
        this.device = device;
    }

    /** A new record was submitted; returns its generation. */
    long newRecord() {
        return ++recorded;
    }

    /** The generation a wait submitted now must see completed. */
    long latestRecord() {
        return recorded;
    }

    void complete(long generation, long nowNanos) {
        // A later record supersedes an earlier one that completes after it, as in CUDA.
        if (generation > completed) {
            completed = generation;
            completedAtNanos = nowNanos;
        }
    }

    boolean hasCompleted(long generation) {
        return completed >= generation;
    }

    boolean isComplete() {
        return completed == recorded;
    }

    boolean wasRecorded() {
        return recorded > 0;
    }

    long completedAtNanos() {
        return completedAtNanos;
    }
}
