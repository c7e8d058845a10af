package dev.xsched.core.internal;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One queue's side of waits across queues. A wait on an event whose latest record was submitted
 * to another queue (the producer) must not reach the hardware before that record does, or the
 * hardware would wait on the event's previous state. While the record is still buffered, this
 * queue is blocked on the producer: the scheduler is told (it keeps the producer running while a
 * running queue waits on it), and the producer wakes this queue when it releases a record, fails
 * or closes. (With the device gate no record is released behind gated work in flight, so a
 * released record is never held on the device: {@code YieldController.holdsBack}.)
 *
 * <p>{@link #blockedOn} is guarded by this queue's state lock, under which {@link #released} and
 * {@link #blockedOn()} are called. {@link #waiters} is thread-safe and read without any lock:
 * other queues register on it under their own state lock.
 */
final class CrossQueueWaits {
    private final QueueCore queue;
    private final QueueListener listener;
    /** Queues blocked on a record of this one; copy on write: iterated while others register. */
    private final CopyOnWriteArrayList<QueueCore> waiters = new CopyOnWriteArrayList<>();
    /** The producer this queue's head waits for, or null. Guarded by this queue's state lock. */
    private QueueCore blockedOn;

    CrossQueueWaits(QueueCore queue, QueueListener listener) {
        this.queue = queue;
        this.listener = listener;
    }

    /**
     * Called under this queue's state lock: whether the record a wait follows reached the hardware
     * (or never will: the producer failed or closed). While not, this queue is registered as
     * blocked on the producer. The caller looks once more after a false: the producer may have
     * released the record between the check and the registration.
     */
    boolean released(Command.ProducerRef ref) {
        QueueCore producer = ref.queue();
        if (producer.releasedOrTerminated(ref.seq())) {
            if (blockedOn != null) {
                blockedOn = null;
                listener.onUnblocked(queue);
            }
            return true;
        }
        if (blockedOn != producer) {
            blockedOn = producer;
            producer.crossQueueWaits().waiters.addIfAbsent(queue);
            listener.onBlocked(queue, producer);
        }
        return false;
    }

    /** Called under this queue's state lock: the producer its head waits for, or null. */
    QueueCore blockedOn() {
        return blockedOn;
    }

    boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    /**
     * Lets the queues blocked on a record of this one look again: it was released, or this queue
     * failed or closed and it never will be. Their drain only tries their launch gate and never
     * waits, so calling this while holding this queue's gate cannot deadlock; call it without this
     * queue's state lock (their drain takes their own).
     */
    void wakeWaiters() {
        for (QueueCore waiter : waiters) {
            waiter.drain();
        }
    }
}
