package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.HangGuard;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The scheduler with its real threads (completion threads, scheduling thread) against a GPU thread. */
class ThreadedSchedulerTest {
    /** Completes everything issued every few tens of microseconds, like hardware would. */
    private static Thread gpuThread(FakeGpu gpu, AtomicBoolean running) {
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                gpu.streams().forEach(FakeStream::completeAll);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        });
        return t;
    }

    @Test
    void concurrentSubmittersGetEveryCommandReleasedOnceInOrder() {
        FakeGpu gpu = new FakeGpu();
        AtomicBoolean running = new AtomicBoolean(true);
        gpuThread(gpu, running);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().policy(new PassThroughPolicy()).jmx(false).build()) {
                Kernel kernel = gpu.kernel("k");
                List<XQueue> queues = IntStream.range(0, 3)
                        .mapToObj(i -> scheduler.createQueue(gpu, new XQueueConfig("q" + i, 8, 4))).toList();
                int perQueue = 3000;
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> submitters = new ArrayList<>();
                for (XQueue q : queues) {
                    submitters.add(Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        for (int i = 1; i <= perQueue; i++) {
                            q.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(i));
                            if (i % 500 == 0) {
                                q.synchronize();
                            }
                        }
                        q.synchronize();
                    }));
                }
                start.countDown();
                for (Thread t : submitters) {
                    t.join();
                }
                for (XQueue q : queues) {
                    List<String> launches = ((FakeStream) q.stream()).launches();
                    assertThat(launches).hasSize(perQueue);
                    assertThat(launches).isEqualTo(IntStream.rangeClosed(1, perQueue).mapToObj(i -> "launch k#" + i).toList());
                    assertThat(q.isIdle()).isTrue();
                    assertThat(q.stats().completed()).isEqualTo(perQueue);
                    // Sync points are batched, not one per command.
                    long syncs = ((FakeStream) q.stream()).log().stream().filter("sync"::equals).count();
                    assertThat(syncs).isLessThan(perQueue);
                }
            } finally {
                running.set(false);
            }
        });
    }

    @Test
    void aSynchronousWaiterObservesItsSyncPointItselfWithoutWaitingForTheCompletionThread() {
        // Every thread but the first (the scheduling thread) waits at its start until the end of
        // the test: the queue's completion thread observes nothing meanwhile.
        CountDownLatch testOver = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        ThreadFactory gated = r -> Thread.ofPlatform().daemon().unstarted(made.getAndIncrement() == 0 ? r : () -> {
            try {
                testOver.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        });
        FakeGpu gpu = new FakeGpu().autoComplete(true);
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().threadFactory(gated).policy(new PassThroughPolicy()).jmx(false).build()) {
                XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
                for (int i = 1; i <= 3; i++) {
                    q.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(i));
                    q.synchronize();
                    assertThat(q.stats().completed()).isEqualTo(i);
                }
                assertThat(((FakeStream) q.stream()).log()).containsExactly(
                        "launch k#1", "sync", "launch k#2", "sync", "launch k#3", "sync");

                // Threshold 1: the second launch is held back until the first completed. The
                // waiter that observes that completion releases it, or nobody would.
                XQueue narrow = scheduler.createQueue(gpu, new XQueueConfig("narrow", 1, 1));
                narrow.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(4));
                narrow.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(5));
                narrow.synchronize();
                assertThat(((FakeStream) narrow.stream()).launches()).containsExactly("launch k#4", "launch k#5");
                testOver.countDown(); // the completion threads may run (and stop) now
            }
        });
    }

    @Test
    void aQueueRefusedAtCreationIsNeitherRegisteredNorLeftWithAThreadOrAnOpenStream() {
        // The factory makes the scheduling thread, then refuses the first queue's completion
        // thread (a ThreadFactory returns null to refuse), then makes threads again.
        List<Thread> made = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger asked = new AtomicInteger();
        ThreadFactory refusingTheSecond = r -> {
            if (asked.incrementAndGet() == 2) {
                return null;
            }
            Thread t = Thread.ofPlatform().daemon().unstarted(r);
            made.add(t);
            return t;
        };
        FakeGpu gpu = new FakeGpu().autoComplete(true);
        Watchdog.within(Duration.ofSeconds(60), () -> {
            XScheduler scheduler = XScheduler.builder().threadFactory(refusingTheSecond).policy(new PassThroughPolicy())
                    .jmx(false).build();
            assertThatThrownBy(() -> scheduler.createQueue(gpu, XQueueConfig.defaults("refused")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused the completion thread");
            assertThat(scheduler.queues()).as("the refused queue is not one of the scheduler's").isEmpty();
            assertThat(gpu.streams()).singleElement().satisfies(s -> assertThat(s.isOpen()).isFalse());

            XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("next"));
            q.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
            q.synchronize();
            assertThat(scheduler.queues()).containsExactly(q);

            // Once the scheduler closes, a queue is refused after its completion thread started:
            // that thread stops again.
            scheduler.close();
            assertThatThrownBy(() -> scheduler.createQueue(gpu, XQueueConfig.defaults("late")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
            for (Thread t : made) {
                t.join(); // every thread it made ends: a hang here is a thread left behind (the watchdog says which)
            }
            assertThat(gpu.streams()).allSatisfy(s -> assertThat(s.isOpen()).isFalse());
        });
    }

    @Test
    @HangGuard(seconds = 60) // a threaded scheduler, like the tests above under their watchdog
    void theMBeanShowsQueuesAndSwitchesThePolicy() throws Exception {
        FakeGpu gpu = new FakeGpu().autoComplete(true);
        try (XScheduler scheduler = XScheduler.builder().name("mbean-test").policy(new PassThroughPolicy()).build()) {
            XQueue q = scheduler.createQueue(gpu, XQueueConfig.defaults("online")).hint(new Hint.Priority(3));
            q.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
            q.synchronize();
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.xsched:type=XScheduler,name=\"mbean-test\"");
            assertThat(server.getAttribute(name, "ActivePolicy")).isEqualTo("pass-through");
            assertThat(server.getAttribute(name, "QueueCount")).isEqualTo(1);
            CompositeData[] queues = (CompositeData[]) server.getAttribute(name, "Queues");
            assertThat(queues).hasSize(1);
            assertThat(queues[0].get("name")).isEqualTo("online");
            assertThat(queues[0].get("launched")).isEqualTo(1L);
            // A JMX client's proxy rebuilds each queue's snapshot from its composite form (through
            // the constructor's ConstructorParameters).
            XSchedulerMXBean proxy = javax.management.JMX.newMXBeanProxy(server, name, XSchedulerMXBean.class);
            XSchedulerMXBean.QueueInfo info = proxy.getQueues().getFirst();
            assertThat(info.getName()).isEqualTo("online");
            assertThat(info.getId()).isEqualTo(q.id());
            assertThat(info.getLaunched()).isEqualTo(1L);
            assertThat(info.getCompleted()).isEqualTo(1L);
            assertThat((String[]) server.getAttribute(name, "InstalledPolicies")).contains("pass-through");
            server.setAttribute(name, new javax.management.Attribute("ActivePolicy", "pass-through"));
            assertThatThrownByUnknownPolicy(server, name);
        }
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("dev.xsched:type=XScheduler,name=\"mbean-test\""))).isFalse();
    }

    private static void assertThatThrownByUnknownPolicy(MBeanServer server, ObjectName name) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> server.setAttribute(name, new javax.management.Attribute("ActivePolicy", "no-such-policy")))
                .hasRootCauseMessage("unknown policy 'no-such-policy'; installed: [pass-through]");
    }
}
