package dev.xsched.core.internal;

/** A queue listener that ignores everything, for tests that drive a {@link QueueCore} without a scheduler. */
class NoQueueListener implements QueueListener {
    static final QueueListener INSTANCE = new NoQueueListener();

    @Override
    public void onReady(QueueCore queue, long now) {
    }

    @Override
    public void onIdle(QueueCore queue, long now) {
    }

    @Override
    public void onBlocked(QueueCore queue, QueueCore producer) {
    }

    @Override
    public void onUnblocked(QueueCore queue) {
    }

    @Override
    public void onSuspendedTailDrained(QueueCore queue) {
    }
}
