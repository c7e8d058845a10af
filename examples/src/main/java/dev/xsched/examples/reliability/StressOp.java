package dev.xsched.examples.reliability;

import java.util.SplittableRandom;

/** What a stress worker does next, with how often it does it relative to the others. */
public enum StressOp {
    CREATE_QUEUE(4),
    LAUNCH(30),
    LAUNCH_SLICED(4),
    COPY_ROUND_TRIP(6),
    MEMSET(2),
    RECORD_AND_WAIT(8),
    SYNCHRONIZE_QUEUE(8),
    SYNCHRONIZE_EVENT(3),
    SYNCHRONIZE_DEVICE(2),
    CLOSE_QUEUE(3),
    HINT(8),
    SWITCH_POLICY(2),
    CALLBACK(2),
    QUERY(4),
    /** Makes a queue fail for good; rare, so that most queues live long. */
    FAULT(1),
    /** Arms a queue's cross-process stop ({@code XQueue.armRemoteStop}) with a fresh word of the world's stop-word file. */
    ARM_REMOTE_STOP(2),
    /** Advances an armed queue's word as another process would ({@code StopWordRaiser}): the queue holds until a decision. */
    STORE_INTO_WORD(3),
    /** Lets an armed queue's wait go ({@code XQueue.disarmRemoteStop}), as a process that lost its server does. */
    DISARM_REMOTE_STOP(1),
    /** Arms it again ({@code XQueue.rearmRemoteStop}). */
    REARM_REMOTE_STOP(1),
    /**
     * A call that waits for the whole device, which armed queues pause their waits around: a device
     * buffer or a pinned buffer allocated and closed, host memory registered and unregistered, or a
     * module loaded and closed.
     */
    DEVICE_WIDE_CALL(2);

    private static final int TOTAL_WEIGHT = java.util.Arrays.stream(values()).mapToInt(op -> op.weight).sum();

    private final int weight;

    StressOp(int weight) {
        this.weight = weight;
    }

    static StressOp pick(SplittableRandom random) {
        int ticket = random.nextInt(TOTAL_WEIGHT);
        for (StressOp op : values()) {
            ticket -= op.weight;
            if (ticket < 0) {
                return op;
            }
        }
        throw new AssertionError("weights do not add up");
    }
}
