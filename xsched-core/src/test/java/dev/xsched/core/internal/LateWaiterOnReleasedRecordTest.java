package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeEvent;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue that starts waiting for a producer's record just as the producer releases it must be
 * woken by that release. The waiter registers with the producer, then looks at the producer's
 * released count again; the producer must therefore count the record as released before it looks
 * for registered waiters. When it looked first (as it did), a waiter registering between its look
 * and its count was neither woken nor saw the record released, and stayed blocked for as long as
 * the producer released no other record: in {@code xsched stress}, a queue with buffered work and
 * nothing in flight that never released it.
 *
 * <p>The releasing thread is stopped, by the fake GPU, inside the producer's issue of the record;
 * another thread holds the producer's state lock meanwhile (from the listener call the producer
 * makes under it), so the releaser, once let go, stops again where it takes that lock to count the
 * record. Then the waiter registers. No sleeps: the threads meet on latches, and the watchdog turns
 * a hang into a failure.
 */
class LateWaiterOnReleasedRecordTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void aWaiterThatRegistersWhileTheProducerIsCountingItsRecordReleasedIsWoken() {
        Watchdog.within(HANG, () -> {
            HoldingListener producerListener = new HoldingListener();
            QueueCore producer = new QueueCore(1, new XQueueConfig("producer", 4, 1), gpu.createStream(0), () -> 0L,
                    producerListener);
            QueueCore waiter = new QueueCore(2, new XQueueConfig("waiter", 4, 1), gpu.createStream(0), () -> 0L,
                    new HoldingListener());
            FakeStream producerStream = (FakeStream) producer.stream();
            FakeEvent produced = (FakeEvent) gpu.createEvent(Set.of());

            // A launch released and run, its completion not yet observed: observing it later, with the
            // producer suspended and its record not yet counted, makes the listener call under the lock.
            producer.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1)));
            producerStream.completeAll();
            SyncPoint launchDone = producer.oldestSyncPoint();

            // The releaser stops inside the issue of the record.
            AtomicBoolean stopArmed = new AtomicBoolean(true);
            CountDownLatch inIssue = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            gpu.onIssue = issued -> {
                if (issued.streamId() == producerStream.id() && issued.what().equals("record " + produced.label())
                        && stopArmed.compareAndSet(true, false)) {
                    inIssue.countDown();
                    Watchdog.await(goOn);
                }
            };
            AtomicReference<Throwable> threw = new AtomicReference<>();
            Thread releaser = Thread.ofPlatform().name("releaser").start(() -> {
                try {
                    producer.submit((seq, at) -> new Command.Record(seq, at, produced));
                } catch (Throwable t) {
                    threw.set(t);
                }
            });
            Watchdog.await(inIssue);
            long record = producer.submittedSeq();
            producer.setSuspended(true);
            producer.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(2)));

            // Another thread observes the launch's completion and stays in the listener call that makes,
            // holding the producer's state lock.
            producerListener.holdNextTailDrained();
            Thread observer = Thread.ofPlatform().name("observer").start(() -> producer.completedUpTo(launchDone));
            Watchdog.await(producerListener.holding);

            // The releaser finishes the record's issue and stops at the state lock.
            goOn.countDown();
            while (!parkedOnALock(releaser)) {
                Thread.onSpinWait();
            }

            // The waiter asks for the record now: not yet counted as released, so it registers.
            waiter.submit((seq, at) -> new Command.Wait(seq, at, produced, new Command.ProducerRef(producer, record)));
            producerListener.release.countDown();
            observer.join();
            releaser.join();

            assertThat(threw.get()).as("what the releaser threw").isNull();
            assertThat(producer.stats().launched()).as("the producer's record was released").isEqualTo(record);
            assertThat(waiter.stats().launched())
                    .as("the waiter's wait was released, woken by the producer's release of the record")
                    .isEqualTo(1);
            assertThat(waiter.blockedOn()).as("the waiter is no longer blocked").isNull();
        });
    }

    /** Whether {@code thread} is parked taking a {@link ReentrantLock} (not on a latch). */
    private static boolean parkedOnALock(Thread thread) {
        Object blocker = LockSupport.getBlocker(thread);
        return thread.getState() == Thread.State.WAITING && blocker != null
                && blocker.getClass().getName().startsWith(ReentrantLock.class.getName());
    }

    /** A listener that does nothing, except that it can stay in one call, which a queue makes under its state lock. */
    private static final class HoldingListener extends NoQueueListener {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean holdArmed = new AtomicBoolean();

        void holdNextTailDrained() {
            holdArmed.set(true);
        }

        @Override
        public void onSuspendedTailDrained(QueueCore queue) {
            if (holdArmed.compareAndSet(true, false)) {
                holding.countDown();
                Watchdog.await(release);
            }
        }
    }
}
