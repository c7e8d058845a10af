package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link XQueueConfig#waitSpin}: a thread waiting for a queue's work polls the sync point that ends
 * its wait for that long before it blocks on the event (a blocking wait costs a driver wake-up).
 * The fake GPU records which threads blocked in an event's synchronize; its streams complete only
 * when the test says, so a wait lasts exactly as long as the test lets it.
 */
class WaitSpinTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");
    private final AtomicReference<Throwable> waiterThrew = new AtomicReference<>();

    @Test
    void aWaiterWithALongSpinPollsUntilTheWorkCompletesWithoutBlocking() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = queue(Duration.ofHours(1));
            long seq = launch(queue);
            long pollsBefore = gpu.eventPolls.get();
            Thread waiter = waitOn(queue, seq);
            // Let it poll for ten times the default spin: a waiter that spun only that long (the
            // configuration ignored) would have blocked by then.
            long pollingSince = 0;
            while (pollingSince == 0 || System.nanoTime() - pollingSince < 10 * XQueueConfig.DEFAULT_WAIT_SPIN.toNanos()) {
                if (pollingSince == 0 && gpu.eventPolls.get() > pollsBefore) {
                    pollingSince = System.nanoTime();
                }
                assertThat(gpu.blockedOnEvents).as("threads that blocked on an event while it polled").doesNotContain(waiter);
                Thread.onSpinWait();
            }
            ((FakeStream) queue.stream()).completeAll();
            join(waiter);
            assertThat(gpu.blockedOnEvents).as("threads that blocked on an event").doesNotContain(waiter);
            assertThat(queue.isCompleted(seq)).isTrue();
        });
    }

    @Test
    void theCompletionThreadMakesNoDriverCallsOfItsOwnWhileAWaiterPolls() {
        // Its blocking wait is two driver calls on a watch stream and a blocking synchronize: made
        // while the waiter polls, they sit beside the waiter's queries on the caller's path, for a
        // completion the waiter records itself. A run in which the completion thread recorded the
        // sync point before the waiter came (it lingers 50 us for one; a busy host can delay the
        // waiter longer) says nothing, so it is run again on a fresh queue.
        Watchdog.within(HANG, () -> {
            for (int attempt = 0; attempt < 50; attempt++) {
                if (completionThreadStayedOffTheDriverWhileAWaiterPolled()) {
                    return;
                }
            }
            throw new AssertionError("in 50 attempts the completion thread always recorded the sync point before the waiter");
        });
    }

    /** One attempt on a fresh GPU and queue: false if the waiter came too late to tell. */
    private boolean completionThreadStayedOffTheDriverWhileAWaiterPolled() throws InterruptedException {
        FakeGpu fresh = new FakeGpu();
        Kernel k = fresh.kernel("k");
        QueueCore queue = new QueueCore(1, XQueueConfig.defaults("q").withWaitSpin(Duration.ofHours(1)),
                fresh.createStream(0), () -> 0L, NoQueueListener.INSTANCE);
        queue.start(Thread.ofPlatform().name("completions").factory());
        FakeStream stream = (FakeStream) queue.stream();
        try {
            long pollsBefore = fresh.eventPolls.get();
            // The waiter launches and waits at once, so it records the sync point itself unless descheduled.
            Thread waiter = Thread.ofPlatform().name("waiter").uncaughtExceptionHandler((t, e) -> waiterThrew.set(e))
                    .start(() -> queue.awaitSettled(queue.submit((seq, at) ->
                            new Command.Launch(seq, at, k, LaunchConfig.of(1, 1), FakeGpu.tag(1)))));
            until(() -> fresh.eventPolls.get() != pollsBefore);
            if (!fresh.watchStreams().isEmpty()) {
                stream.completeAll();
                join(waiter);
                return false; // the completion thread was blocked before the waiter polled
            }
            long pollingSince = System.nanoTime();
            while (System.nanoTime() - pollingSince < Duration.ofMillis(200).toNanos()) {
                assertThat(fresh.watchStreams()).as("watch streams made while the waiter polls").isEmpty();
                Thread.onSpinWait();
            }
            stream.completeAll();
            join(waiter);
            assertThat(fresh.watchStreams()).as("watch streams made for a completion the waiter saw").isEmpty();

            // With no waiter polling, the completion thread blocks through a watch of its own again.
            long unwaited = queue.submit((seq, at) -> new Command.Launch(seq, at, k, LaunchConfig.of(1, 1), FakeGpu.tag(1)));
            until(() -> !fresh.watchStreams().isEmpty());
            stream.completeAll();
            until(() -> queue.isCompleted(unwaited));
            return true;
        } finally {
            stream.completeAll();
            queue.shutdown();
        }
    }

    @Test
    void aWaiterBehindThresholdOnePollsEachCommandsSyncPointToo() {
        // At threshold 1 the waiter's commands go out one at a time, each behind the sync point of
        // the one before: a blocking wait on those would cost a wake-up between every two kernels,
        // with the device idle meanwhile.
        Watchdog.within(HANG, () -> {
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 1, 1).withWaitSpin(Duration.ofHours(1)),
                    gpu.createStream(0), () -> 0L, NoQueueListener.INSTANCE);
            long last = 0;
            for (int i = 0; i < 3; i++) {
                last = launch(queue);
            }
            Thread waiter = waitOn(queue, last);
            FakeStream stream = (FakeStream) queue.stream();
            for (int round = 0; waiter.isAlive(); round++) {
                assertThat(round).as("rounds of completing what was released").isLessThan(10);
                long since = System.nanoTime();
                while (System.nanoTime() - since < 10 * XQueueConfig.DEFAULT_WAIT_SPIN.toNanos()) {
                    assertThat(gpu.blockedOnEvents).as("threads that blocked on an event while it polled").doesNotContain(waiter);
                    Thread.onSpinWait();
                }
                stream.completeAll();
                waiter.join(Duration.ofMillis(1));
            }
            join(waiter);
            assertThat(gpu.blockedOnEvents).as("threads that blocked on an event").doesNotContain(waiter);
            assertThat(queue.isCompleted(last)).isTrue();
        });
    }

    @Test
    void aWaiterWithNoSpinBlocksOnTheEventAtOnceAndIsWokenByTheCompletion() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = queue(Duration.ZERO);
            long seq = launch(queue);
            Thread waiter = waitOn(queue, seq);
            until(() -> gpu.blockedOnEvents.contains(waiter));
            ((FakeStream) queue.stream()).completeAll();
            join(waiter);
            assertThat(queue.isCompleted(seq)).isTrue();
        });
    }

    @Test
    void aSuspendedQueuesWaiterBlocksAtOnceAndWakesOnTheResume() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = queue(Duration.ofHours(1));
            queue.setSuspended(true);
            long seq = launch(queue);
            Thread waiter = waitOn(queue, seq);
            while (waiter.getState() != Thread.State.WAITING) {
                assertThat(waiter.isAlive()).isTrue();
                Thread.onSpinWait(); // a suspended queue releases nothing: polling would only burn a core
            }
            queue.setSuspended(false);
            ((FakeStream) queue.stream()).completeAll();
            while (waiter.isAlive()) {
                ((FakeStream) queue.stream()).completeAll();
                waiter.join(Duration.ofMillis(1));
            }
            join(waiter);
            assertThat(queue.isCompleted(seq)).isTrue();
        });
    }

    @Test
    void theSpinIsCheckedAndKeptByEveryCopy() {
        XQueueConfig config = XQueueConfig.defaults("q");
        assertThat(config.waitSpin()).isEqualTo(XQueueConfig.DEFAULT_WAIT_SPIN);
        XQueueConfig spinning = config.withWaitSpin(Duration.ofMillis(5));
        assertThat(spinning.withThreshold(4).withBatchSize(2).withCooperativeYield(true).withDeviceGate(true).waitSpin())
                .isEqualTo(Duration.ofMillis(5));
        assertThat(new XQueueConfig("q", 4, 2, true, false).waitSpin()).isEqualTo(XQueueConfig.DEFAULT_WAIT_SPIN);
        assertThatThrownBy(() -> config.withWaitSpin(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait spin");
        assertThatThrownBy(() -> config.withWaitSpin(null)).isInstanceOf(NullPointerException.class);
        // A spin longer than any deadline can hold is a spin until the work completes, not an overflow.
        assertThat(config.withWaitSpin(Duration.ofSeconds(Long.MAX_VALUE)).waitSpin()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void aSpinTooLongForADeadlineStillWaitsForTheWork() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = queue(Duration.ofSeconds(Long.MAX_VALUE));
            long seq = launch(queue);
            Thread waiter = waitOn(queue, seq);
            long pollsBefore = gpu.eventPolls.get();
            until(() -> gpu.eventPolls.get() >= pollsBefore + 1000 || gpu.blockedOnEvents.contains(waiter));
            assertThat(gpu.blockedOnEvents).as("blocked at once: a deadline that overflowed into the past").doesNotContain(waiter);
            ((FakeStream) queue.stream()).completeAll();
            join(waiter);
            assertThat(gpu.blockedOnEvents).doesNotContain(waiter);
        });
    }

    private QueueCore queue(Duration spin) {
        return new QueueCore(1, XQueueConfig.defaults("q").withWaitSpin(spin), gpu.createStream(0), () -> 0L,
                NoQueueListener.INSTANCE);
    }

    private long launch(QueueCore queue) {
        return queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1)));
    }

    /** A thread that waits until {@code seq} settled; what it throws fails the test at {@link #join}. */
    private Thread waitOn(QueueCore queue, long seq) {
        return Thread.ofPlatform().name("waiter").uncaughtExceptionHandler((t, e) -> waiterThrew.set(e))
                .start(() -> queue.awaitSettled(seq));
    }

    private void join(Thread waiter) throws InterruptedException {
        waiter.join();
        assertThat(waiterThrew.get()).as("what the waiter threw").isNull();
    }
}
