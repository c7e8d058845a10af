package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Closing queues and schedulers while other threads use them: accepted commands run (or, with
 * {@link CloseMode#DROP}, are counted as dropped and fail their waiters), later ones are
 * rejected, no wait outlives its queue, and close releases everything and reports a failure at
 * most once.
 */
class QueueCloseTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);
    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");

    private void launch(XQueue queue, int tag) {
        queue.launch(kernel, ONE, FakeGpu.tag(tag));
    }

    /** A GPU that completes everything issued, until stopped. */
    private static AutoCloseable hardware(FakeGpu gpu) {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread t = Thread.ofPlatform().daemon().name("fake-hardware").start(() -> {
            while (running.get()) {
                gpu.streams().forEach(FakeStream::completeAll);
                LockSupport.parkNanos(20_000);
            }
        });
        return () -> {
            running.set(false);
            t.join();
        };
    }

    @Test
    void aCommandSubmittedWhileADrainingCloseWaitsIsRejectedAndEveryAcceptedCommandRuns() {
        // The close waits for commands 1 and 2; while it does (the time advancer is its wait
        // loop), "another thread" submits command 3. It must not be accepted and then forgotten.
        List<Throwable> rejected = new ArrayList<>();
        AtomicReference<Runnable> duringClose = new AtomicReference<>(() -> { });
        AtomicReference<XQueue> queue = new AtomicReference<>();
        XScheduler scheduler = XScheduler.builder().manual(() -> {
            duringClose.getAndSet(() -> { }).run();
            gpu.streams().forEach(s -> s.completeNext(1));
        }).policy(new PassThroughPolicy()).jmx(false).build();
        XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
        queue.set(q);
        launch(q, 1);
        launch(q, 2);
        FakeStream stream = (FakeStream) q.stream();
        duringClose.set(() -> {
            try {
                launch(queue.get(), 3);
            } catch (IllegalStateException e) {
                rejected.add(e);
            }
        });
        q.close();

        assertThat(rejected).singleElement().extracting(Throwable::getMessage).asString().contains("XQueue q is closed");
        assertThat(stream.launches()).containsExactly("launch k#1", "launch k#2");
        assertThat(q.stats().submitted()).isEqualTo(2);
        assertThat(q.stats().completed()).isEqualTo(2);
        assertThat(stream.isOpen()).isFalse();
        scheduler.close();
    }

    @Test
    void aWaiterForACommandThatCloseWithDropDiscardedGetsAClearExceptionInsteadOfWaitingForever() {
        Watchdog.within(HANG, () -> {
            try (XScheduler scheduler = XScheduler.builder().policy(new HoldPolicy("", true)).jmx(false).build()) {
                XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("held"));
                launch(q, 1); // held: stays in the buffer
                AtomicReference<Throwable> seen = new AtomicReference<>();
                CountDownLatch waiting = new CountDownLatch(1);
                Thread waiter = Thread.ofPlatform().start(() -> {
                    waiting.countDown();
                    try {
                        q.synchronize(); // before or after the close: either way it must end
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                });
                waiting.await();
                q.close(CloseMode.DROP);
                waiter.join();
                assertThat(seen.get()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("XQueue held").hasMessageContaining("dropped");
                assertThat(q.stats().dropped()).isEqualTo(1);
                assertThat(((FakeStream) q.stream()).log()).isEmpty();
            }
        });
    }

    @Test
    void submittersRacingWithCloseHaveEveryAcceptedCommandRunOnceAndLaterOnesRejected() {
        Watchdog.within(HANG, () -> {
            try (AutoCloseable _ = hardware(gpu);
                 XScheduler scheduler = XScheduler.builder().policy(new PassThroughPolicy()).jmx(false).build()) {
                for (int round = 0; round < 50; round++) {
                    XQueue q = scheduler.createQueue(gpu, new XQueueConfig("q" + round, 4, 2));
                    int threads = 4;
                    CountDownLatch start = new CountDownLatch(threads + 1);
                    List<List<Integer>> accepted = new ArrayList<>();
                    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
                    List<Thread> submitters = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
                        accepted.add(mine);
                        int base = t * 100_000;
                        submitters.add(Thread.ofPlatform().start(() -> {
                            start.countDown();
                            try {
                                start.await();
                                for (int i = 1; ; i++) {
                                    try {
                                        launch(q, base + i);
                                    } catch (IllegalStateException closed) {
                                        assertThat(closed).hasMessageContaining("is closed");
                                        break;
                                    }
                                    mine.add(base + i);
                                    if (i % 7 == 0) {
                                        q.synchronize(); // never outlives the queue
                                    }
                                }
                            } catch (Throwable e) {
                                unexpected.add(e);
                            }
                        }));
                    }
                    start.countDown();
                    start.await();
                    q.close();
                    for (Thread t : submitters) {
                        t.join();
                    }
                    assertThat(unexpected).isEmpty();
                    List<String> launched = ((FakeStream) q.stream()).launches();
                    int total = accepted.stream().mapToInt(List::size).sum();
                    assertThat(launched).as("every accepted command released exactly once").hasSize(total);
                    for (List<Integer> mine : accepted) {
                        assertThat(launched.stream().filter(l -> mine.contains(Integer.parseInt(l.substring(9)))).toList())
                                .as("in each submitter's order").isEqualTo(mine.stream().map(i -> "launch k#" + i).toList());
                    }
                    assertThat(q.stats().completed()).isEqualTo(total);
                }
            }
        });
    }

    @Test
    void closingAQueueFromSeveralThreadsAtOnceReturnsInEachOnlyOnceItIsClosed() {
        Watchdog.within(HANG, () -> {
            try (AutoCloseable _ = hardware(gpu);
                 XScheduler scheduler = XScheduler.builder().policy(new PassThroughPolicy()).jmx(false).build()) {
                XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
                IntStream.rangeClosed(1, 100).forEach(i -> launch(q, i));
                CountDownLatch start = new CountDownLatch(4);
                ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
                List<Thread> closers = IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() -> {
                    start.countDown();
                    try {
                        start.await();
                        q.close();
                        seen.add(q.stream().isOpen() ? "returned before the stream was closed" : "closed");
                    } catch (Throwable t) {
                        seen.add(t.toString());
                    }
                })).toList();
                for (Thread t : closers) {
                    t.join();
                }
                assertThat(seen).containsExactly("closed", "closed", "closed", "closed");
                assertThat(q.stats().completed()).isEqualTo(100);
                q.close(); // and once more
            }
        });
    }

    @Test
    void schedulerCloseReportsAFailureNobodyWasToldOfOnceAndReleasesEverything() {
        XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(FakeStream::completeAll))
                .policy(new PassThroughPolicy()).jmx(false).build();
        XQueue failing = scheduler.createQueue(gpu, XQueueConfig.defaults("failing"));
        XQueue healthy = scheduler.createQueue(gpu, XQueueConfig.defaults("healthy"));
        RuntimeException cause = new RuntimeException("library failed");
        failing.enqueue(s -> {
            throw cause;
        });
        launch(healthy, 1);
        scheduler.pump(); // the work throws on release; nobody has asked the queue since

        assertThatThrownBy(scheduler::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("XQueue failing failed").rootCause().isSameAs(cause);
        assertThat(gpu.streams()).allSatisfy(s -> assertThat(s.isOpen()).isFalse());
        assertThat(scheduler.queues()).isEmpty();
        assertThat(healthy.stats().completed()).isEqualTo(1);
        scheduler.close(); // reported once: the second close is quiet
        assertThatCode(failing::close).doesNotThrowAnyException();
    }

    @Test
    void schedulerCloseDoesNotRepeatAFailureAlreadyThrownToTheCaller() {
        XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(FakeStream::completeAll))
                .policy(new PassThroughPolicy()).jmx(false).build();
        XQueue failing = scheduler.createQueue(gpu, XQueueConfig.defaults("failing"));
        failing.enqueue(s -> {
            throw new RuntimeException("library failed");
        });
        assertThatThrownBy(failing::synchronize).hasMessageContaining("XQueue failing failed");
        scheduler.close();
        assertThat(((FakeStream) failing.stream()).isOpen()).isFalse();
        assertThat(scheduler.queues()).isEmpty();
    }

    @Test
    void concurrentSchedulerClosesReleaseEveryQueueStreamAndThreadAndOneReportsTheFailure() {
        Watchdog.within(HANG, () -> {
            List<Thread> made = Collections.synchronizedList(new ArrayList<>());
            ThreadFactory recording = r -> {
                Thread t = Thread.ofPlatform().daemon().unstarted(r);
                made.add(t);
                return t;
            };
            try (AutoCloseable _ = hardware(gpu)) {
                XScheduler scheduler = XScheduler.builder().threadFactory(recording).policy(new PassThroughPolicy())
                        .jmx(false).build();
                List<XQueue> queues = IntStream.range(0, 3)
                        .mapToObj(i -> scheduler.createQueue(gpu, XQueueConfig.defaults("q" + i))).toList();
                queues.forEach(q -> IntStream.rangeClosed(1, 20).forEach(i -> launch(q, i)));
                queues.get(1).enqueue(s -> {
                    throw new RuntimeException("library failed");
                });
                int closers = 4;
                CountDownLatch start = new CountDownLatch(closers);
                ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
                List<Thread> threads = IntStream.range(0, closers).mapToObj(i -> Thread.ofPlatform().start(() -> {
                    start.countDown();
                    try {
                        start.await();
                        scheduler.close();
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                })).toList();
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(thrown).singleElement().satisfies(t -> assertThat(t).hasMessageContaining("XQueue q1 failed")
                        .rootCause().hasMessage("library failed"));
                assertThat(scheduler.queues()).isEmpty();
                assertThat(gpu.streams()).allSatisfy(s -> assertThat(s.isOpen()).isFalse());
                assertThat(made).hasSize(1 + queues.size()).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
                assertThat(queues.get(0).stats().completed()).isEqualTo(20);
                scheduler.close();
                assertThatThrownBy(() -> scheduler.createQueue(gpu, XQueueConfig.defaults("late")))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
        });
    }

    @Test
    void anInterruptedSchedulerCloseWhileAnotherClosesStillWaitsForThatCloseAndKeepsTheInterrupt() {
        Watchdog.within(HANG, () -> {
            XScheduler scheduler = XScheduler.builder().policy(new PassThroughPolicy()).jmx(false).build();
            XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
            launch(q, 1); // never completed until the test says: the first close waits for it
            Thread first = Thread.ofPlatform().daemon().name("first closer").start(scheduler::close);
            until(() -> first.getState() == Thread.State.WAITING || first.getState() == Thread.State.TIMED_WAITING);
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread second = Thread.ofPlatform().daemon().name("second closer").start(() -> {
                Thread.currentThread().interrupt();
                scheduler.close();
                interruptKept.set(Thread.currentThread().isInterrupted());
            });
            until(() -> !second.isAlive() || second.getState() == Thread.State.WAITING);
            assertThat(second.isAlive()).as("the second close waits for the first").isTrue();

            ((FakeStream) q.stream()).completeAll();
            until(() -> {
                ((FakeStream) q.stream()).completeAll(); // the launch's sync point may come after a first completeAll
                return !first.isAlive();
            });
            second.join();
            assertThat(interruptKept).as("the interrupt is kept for the caller").isTrue();
            assertThat(q.stream().isOpen()).isFalse();
        });
    }
}
