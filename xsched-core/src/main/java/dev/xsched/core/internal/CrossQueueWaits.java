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
 * <p>{@link #blockedOn} is guarded by this queue's state lock, under which {@link #released},
 * {@link #stopWaiting} and {@link #blockedOn()} are called. {@link #waiters} is thread-safe and
 * read without any lock: other queues register on it, and leave it, under their own state lock.
 *
 * <p>A queue is on a producer's {@link #waiters} exactly while its {@link #blockedOn} names that
 * producer: only the queue itself adds or removes itself, always together with setting or
 * clearing {@link #blockedOn}, under its own state lock. Why leaving never loses a wake-up the
 * queue still needs: it leaves (1) when it finds the record released, or the producer failed or
 * closed, and then releases its wait in the same lock section without any wake-up; (2) when its
 * head waits for another producer, and then nothing it holds waits for this one until a later
 * wait registers again, which looks at the producer once more after registering (see
 * {@link #released}); (3) when it will release nothing more (its buffer was dropped by a failure
 * or a close with DROP, or it closed). A producer that iterates a snapshot taken before the queue
 * left only makes a drain that finds nothing to do, or registers the queue again if its head waits
 * for that producer once more, as any registration.
 */
final class CrossQueueWaits {
    private final QueueCore queue;
    private final QueueListener listener;
    /** Queues blocked on a record of this one; copy on write: iterated while others register and leave. */
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
            stopWaiting();
            return true;
        }
        if (blockedOn != producer) {
            leaveProducer();
            blockedOn = producer;
            producer.crossQueueWaits().waiters.addIfAbsent(queue);
            listener.onBlocked(queue, producer);
        }
        return false;
    }

    /**
     * Called under this queue's state lock when its head waits for no producer any more: the wait
     * was found released, or the queue will release nothing more (a failure or a close with DROP
     * dropped its buffer, or it closed). It leaves the producer's waiters, and the scheduler is
     * told, so that the producer no longer runs on this queue's account.
     */
    void stopWaiting() {
        if (blockedOn != null) {
            leaveProducer();
            blockedOn = null;
            listener.onUnblocked(queue);
        }
    }

    /** Called under this queue's state lock: leaves the waiters of the producer it is blocked on, if any. */
    private void leaveProducer() {
        if (blockedOn != null) {
            blockedOn.crossQueueWaits().waiters.remove(queue);
        }
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
