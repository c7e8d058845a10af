package dev.xsched.core.internal;

import dev.xsched.hip.HipException;

/**
 * Where a queue is in its life, its failure and what it dropped; decides whether a wait on the
 * queue can end and what it throws. A queue is OPEN (accepts commands), then CLOSING (rejects
 * them, still runs those it accepted or drops them), then CLOSED (releases nothing, every wait
 * ends). A failure can come at any point and stops releases for good; it is thrown to every
 * waiter, and a close reports it only if no caller was told of it yet.
 *
 * <p>Not thread-safe: the queue calls it under its lock, except {@link #isTerminated()}, which
 * other queues read without it (hence the volatile fields).
 */
final class QueueLifecycle {
    private enum State { OPEN, CLOSING, CLOSED }

    private final String queueName;
    private volatile State state = State.OPEN;
    /** Set once, by the first failure. */
    private volatile RuntimeException failure;
    /** Whether {@link #failure} was thrown to some caller. */
    private boolean failureReported;
    /** The first command discarded unrun; every wait that includes it fails. */
    private long firstDropped = Long.MAX_VALUE;

    QueueLifecycle(String queueName) {
        this.queueName = queueName;
    }

    /** Rejects a submission unless the queue is open and has not failed. */
    void checkAccepting() {
        if (state != State.OPEN) {
            throw new IllegalStateException("XQueue " + queueName + " is closed");
        }
        if (failure != null) {
            failureReported = true;
            throw new IllegalStateException("XQueue " + queueName + " failed earlier: " + failure.getMessage(), failure);
        }
    }

    /** From now on submissions are rejected. */
    void beginClosing() {
        if (state == State.OPEN) {
            state = State.CLOSING;
        }
    }

    void closed() {
        state = State.CLOSED;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    boolean hasFailed() {
        return failure != null;
    }

    /** Closed or failed: the queue will release nothing more. Safe without the queue's lock. */
    boolean isTerminated() {
        return failure != null || state == State.CLOSED;
    }

    /** Records the queue's failure; only the first counts. */
    void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The command {@code seq} (and every later one) will never run. */
    void dropped(long seq) {
        firstDropped = Math.min(firstDropped, seq);
    }

    /** Whether everything up to {@code seq} completed, given the queue's {@code completedSeq}, with none dropped. */
    boolean completed(long seq, long completedSeq) {
        return completedSeq >= seq && seq < firstDropped;
    }

    /** Whether a wait for {@code seq} may end: it completed, or it never will. */
    boolean settled(long seq, long completedSeq) {
        return completedSeq >= seq || failure != null || seq >= firstDropped || state == State.CLOSED;
    }

    /** After a wait for {@code seq} settled: returns if it completed, else throws why not. */
    void checkCompleted(long seq, long completedSeq) {
        throwIfFailed();
        if (seq >= firstDropped) {
            throw new IllegalStateException("XQueue " + queueName + " was closed with DROP: command " + firstDropped
                    + " and every later one were dropped unrun, so command " + seq + " never completes");
        }
        if (completedSeq < seq) {
            throw new IllegalStateException("XQueue " + queueName + " was closed before command " + seq + " completed");
        }
    }

    /** Throws the queue's failure, if any, and marks it reported. */
    void throwIfFailed() {
        RuntimeException thrown = failureToThrow();
        if (thrown != null) {
            failureReported = true;
            throw thrown;
        }
    }

    /** The failure as a waiter gets it, if no caller was told of it yet (it counts as told now); else null. */
    RuntimeException takeUnreportedFailure() {
        if (failure == null || failureReported) {
            return null;
        }
        failureReported = true;
        return failureToThrow();
    }

    private RuntimeException failureToThrow() {
        RuntimeException f = failure;
        if (f instanceof HipException hip) {
            return new HipException(hip.code(), hip.errorName(), hip.errorMessage(), hip.call());
        }
        return f == null ? null : new IllegalStateException("XQueue " + queueName + " failed", f);
    }

    /** {@code e} with the queue's name and the command (null: a sync point) in its message. */
    RuntimeException describe(Command command, RuntimeException e) {
        String what = "XQueue " + queueName + (command == null ? " sync point" : " " + command.kind());
        if (e instanceof HipException hip) {
            HipException named = new HipException(hip.code(), hip.errorName(), hip.errorMessage(), what + ": " + hip.call());
            named.initCause(e);
            return named;
        }
        if (e instanceof Command.Foreign.Failed foreign) {
            return new IllegalStateException("XQueue " + queueName + ": stream work (command " + command.seq()
                    + ") threw " + foreign.getCause(), foreign.getCause());
        }
        return e;
    }
}
