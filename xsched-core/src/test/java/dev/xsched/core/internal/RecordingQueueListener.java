package dev.xsched.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A queue listener that records what a queue says about its waits on other queues, in order. */
class RecordingQueueListener extends NoQueueListener {
    private final List<String> waits = new CopyOnWriteArrayList<>();

    @Override
    public void onBlocked(QueueCore queue, QueueCore producer) {
        waits.add("blocked on " + producer.config().name());
    }

    @Override
    public void onUnblocked(QueueCore queue) {
        waits.add("unblocked");
    }

    /** "blocked on NAME" and "unblocked", in the order the queue said them. */
    List<String> waits() {
        return List.copyOf(waits);
    }
}
