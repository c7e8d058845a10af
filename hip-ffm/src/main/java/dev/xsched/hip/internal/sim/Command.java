package dev.xsched.hip.internal.sim;

/**
 * A command of a stream. It {@link #started starts} when it reaches the head of its stream; kernels
 * and transfers then take time, event records and satisfied waits complete at once.
 */
abstract sealed class Command permits KernelLaunch, Transfer, EventRecord, EventWait, MemoryWait {
    /** Submission order across the platform: the FIFO order of the block dispatcher. */
    final long seq;
    final StreamState stream;
    boolean started;

    Command(long seq, StreamState stream) {
        this.seq = seq;
        this.stream = stream;
    }
}
