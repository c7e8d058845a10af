package dev.xsched.core;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;

/**
 * What the scheduling thread receives (and a submitting thread's round takes along with its own
 * ready, with {@code XScheduler.Builder#decideOnSubmit}); every one but {@link Wake} makes the
 * policy decide again.
 */
sealed interface SchedulerEvent {
    /** A queue had no work and received a command. */
    record Ready(long queueId, long at) implements SchedulerEvent {
    }

    /** A queue's buffer drained and all its released work completed. */
    record Idle(long queueId, long at) implements SchedulerEvent {
    }

    /** A queue was created, blocked or unblocked on another, or its suspended tail drained. */
    record Changed(long queueId) implements SchedulerEvent {
    }

    record HintArrived(long queueId, Hint hint) implements SchedulerEvent {
    }

    record Removed(long queueId) implements SchedulerEvent {
    }

    record SwitchPolicy(Policy policy) implements SchedulerEvent {
    }

    /** Only wakes the thread: to see that the scheduler closes, or a timer earlier than the one it waits for. */
    record Wake() implements SchedulerEvent {
    }
}
