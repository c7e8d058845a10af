package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeEvent;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A release of one queue that wakes another, whose release wakes the first again, on one thread:
 * the first queue's close must not settle while that release is midway, or the release goes on
 * to issue to the stream the close has closed (seen in {@code xsched stress}: a sync point
 * recorded on a closed stream, and the queue failed with "stream is closed").
 *
 * <p>Two queues wait on each other's event records, so each is registered to be woken when the
 * other releases a record. The releasing thread is stopped, by the fake GPU, inside the second
 * queue's release (after that release woke the first queue); meanwhile the test closes the first
 * queue the way {@code XQueue.close} does, as far as it can get without waiting for the stopped
 * thread. No sleeps: the threads meet on latches, and the watchdog turns a hang into a failure.
 */
class CloseDuringCrossQueueReleaseTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void aCloseDoesNotSettleWhileAReleaseOfItsQueueIsMidwayInsideAnotherQueuesRelease() {
        Watchdog.within(HANG, () -> {
            // Batch size 1: every release records a sync point right after its command.
            QueueCore q = queue(1, "q");
            QueueCore w = queue(2, "w");
            FakeStream qStream = (FakeStream) q.stream();
            FakeStream wStream = (FakeStream) w.stream();
            FakeEvent qRecorded = event();
            FakeEvent wRecorded = event();
            FakeEvent wRecordedAgain = event();

            // q blocks once on a record of w: from then on every record w releases wakes q.
            w.setSuspended(true);
            long wRecord = submitRecord(w, wRecorded);
            submitWait(q, wRecorded, w, wRecord);
            assertThat(q.blockedOn()).isSameAs(w);
            w.setSuspended(false);
            settle(w);
            settle(q);

            // w blocks on a record of q (so releasing it wakes w), with a record of its own behind
            // (so releasing that wakes q); q holds its record and a launch, suspended.
            q.setSuspended(true);
            long qRecord = submitRecord(q, qRecorded);
            long last = q.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(7)));
            submitWait(w, qRecorded, q, qRecord);
            assertThat(w.blockedOn()).isSameAs(q);
            submitRecord(w, wRecordedAgain);

            // The fake GPU stops the releasing thread at w's sync point after w's second record:
            // w's release has woken q by then, and q's release of its record (further up the
            // same stack) has not recorded its own sync point yet.
            List<String> issuedAfterClose = new CopyOnWriteArrayList<>();
            AtomicBoolean stopArmed = new AtomicBoolean(true);
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            gpu.onIssue = issued -> {
                if (issued.streamId() == qStream.id() && !qStream.isOpen()) {
                    issuedAfterClose.add(issued.what());
                    throw new IllegalStateException("stream is closed: " + qStream); // as a real stream does
                }
                if (issued.streamId() == wStream.id() && issued.what().equals("sync")
                        && wStream.log().getLast().equals("record " + wRecordedAgain.label())
                        && stopArmed.compareAndSet(true, false)) {
                    stopped.countDown();
                    Watchdog.await(goOn);
                }
            };
            AtomicReference<Throwable> releaserThrew = new AtomicReference<>();
            Thread releaser = Thread.ofPlatform().name("releaser").start(() -> {
                try {
                    q.setSuspended(false); // releases q's record, which wakes w, whose record wakes q
                } catch (Throwable t) {
                    releaserThrew.set(t);
                }
            });
            Watchdog.await(stopped);

            // Close q with DRAIN, as XQueue.close does, while the releaser is stopped: the device
            // runs everything issued, the close's wait observes what completed (as a waiter does,
            // without blocking) and, if that settles the wait, shuts the queue down and closes its
            // stream at once.
            long target = q.beginClose(false);
            assertThat(target).isEqualTo(last);
            qStream.completeAll();
            observeCompleted(q);
            boolean closedWhileReleaserStopped = q.isSettled(target);
            if (closedWhileReleaserStopped) {
                q.shutdown();
                qStream.close();
            }
            goOn.countDown();
            releaser.join();
            if (!closedWhileReleaserStopped) {
                qStream.completeAll();
                q.awaitSettled(target);
                q.shutdown();
                qStream.close();
            }

            assertThat(issuedAfterClose).as("issued to q's stream after its close closed it").isEmpty();
            assertThat(releaserThrew.get()).as("what the releaser threw").isNull();
            assertThat(q.takeUnreportedFailure()).as("q's failure").isNull();
            assertThat(q.stats().completed()).as("every command of q ran").isEqualTo(last);
            assertThat(qStream.log()).as("q's record, then its launch, each followed by its sync point")
                    .endsWith("record " + qRecorded.label(), "sync", "launch k#7", "sync");
            assertThat(w.stats().launched()).as("w's wait and record were released").isEqualTo(w.submittedSeq());
        });
    }

    private QueueCore queue(long id, String name) {
        return new QueueCore(id, new XQueueConfig(name, 4, 1), gpu.createStream(0), () -> 0L, NoQueueListener.INSTANCE);
    }

    private FakeEvent event() {
        return (FakeEvent) gpu.createEvent(Set.of());
    }

    private static long submitRecord(QueueCore queue, Event event) {
        return queue.submit((seq, at) -> new Command.Record(seq, at, event));
    }

    private static void submitWait(QueueCore queue, Event event, QueueCore producer, long producerSeq) {
        queue.submit((seq, at) -> new Command.Wait(seq, at, event, new Command.ProducerRef(producer, producerSeq)));
    }

    /** Runs everything issued to the queue's stream and waits until the queue saw it complete. */
    private static void settle(QueueCore queue) {
        ((FakeStream) queue.stream()).completeAll();
        queue.awaitSettled(queue.submittedSeq());
        queue.checkCompleted(queue.submittedSeq());
    }

    /** Records the completion of every sync point whose event completed, as a waiter does, never blocking. */
    private static void observeCompleted(QueueCore queue) {
        for (SyncPoint oldest = queue.oldestSyncPoint(); oldest != null && oldest.event().isComplete();
             oldest = queue.oldestSyncPoint()) {
            queue.completedUpTo(oldest);
        }
    }
}
