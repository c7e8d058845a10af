package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.fake.Watchdog;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link XScheduler.Builder#decideOnSubmit}: a submission that turns a queue ready runs the
 * decision round on the submitting thread when no step runs elsewhere, so the suspend it calls
 * for has been applied when the submission returns; without it, a scheduler whose scheduling
 * thread never steps decides nothing. A watchdog turns a hang into a failure with a thread dump.
 */
class DecideOnSubmitTest {
    /**
     * The scheduler's first thread, its scheduling thread (made in its constructor, before any
     * queue's completion thread), exits at once: no event posted to it is ever taken. The queues'
     * completion threads run.
     */
    private static ThreadFactory noSchedulingThread() {
        AtomicInteger made = new AtomicInteger();
        return task -> made.getAndIncrement() == 0 ? new Thread(() -> { }) : Thread.ofPlatform().daemon().unstarted(task);
    }

    @Test
    void theSuspendIsAppliedBeforeTheSubmissionReturns() {
        FakeGpu gpu = new FakeGpu();
        AtomicReference<Thread> schedulingThread = new AtomicReference<>();
        ThreadFactory capturing = task -> {
            Thread thread = Thread.ofPlatform().daemon().unstarted(task);
            schedulingThread.compareAndSet(null, thread); // the first: made in the scheduler's constructor
            return thread;
        };
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(new OnlineFirst())
                    .threadFactory(capturing).decideOnSubmit(true).build()) {
                try {
                    suspendsOnSubmit(gpu, scheduler, schedulingThread.get());
                } finally {
                    gpu.autoComplete(true); // lets the close finish whatever failed
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
    }

    private static void suspendsOnSubmit(FakeGpu gpu, XScheduler scheduler, Thread schedulingThread) {
                Kernel kernel = gpu.kernel("k");
                XQueue lp = scheduler.createQueue(gpu, new XQueueConfig("lp", 2, 1));
                XQueue hp = scheduler.createQueue(gpu, new XQueueConfig("hp", 2, 1));
                lp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0)); // never completed: lp has work throughout
                FakeStream hpStream = (FakeStream) hp.stream();
                until(() -> !lp.stats().suspended());
                long suspensionsBefore = lp.stats().suspensions(); // a new queue starts suspended
                for (int round = 0; round < 100; round++) {
                    // The scheduling thread resumed lp after hp's last request, and waits for events:
                    // hp's launch finds no step running and decides itself.
                    until(() -> !lp.stats().suspended() && schedulingThread.getState() == Thread.State.WAITING);
                    hp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0));
                    assertThat(lp.stats().suspended()).as("round %d: lp suspended when hp's launch returns", round).isTrue();
                    until(() -> {
                        hpStream.completeAll(); // hp's sync point may reach the stream after a first completeAll
                        return !lp.stats().suspended();
                    });
                }
                assertThat(lp.stats().suspensions() - suspensionsBefore).isEqualTo(100);
    }

    private static void until(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aDecisionSourceIsAskedOnTheSubmittingThread() {
        // With a scheduler server the round tells the server from the submitting thread: a source
        // that records where it was asked, every queue running.
        Set<Thread> askedOn = ConcurrentHashMap.newKeySet();
        DecisionSource recording = new DecisionSource() {
            @Override
            public void attach(String schedulerName, Scheduling scheduling) {
            }

            @Override
            public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
                askedOn.add(Thread.currentThread());
                return Map.of();
            }

            @Override
            public String describe() {
                return "recording";
            }

            @Override
            public void close() {
            }
        };
        FakeGpu gpu = new FakeGpu();
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).decisionSource(recording).decideOnSubmit(true).build()) {
                try {
                    XQueue queue = scheduler.createQueue(gpu, new XQueueConfig("q", 2, 1));
                    until(() -> !queue.stats().suspended()); // the scheduling thread's round for the new queue
                    until(() -> askedOn.stream().anyMatch(t -> t.getState() == Thread.State.WAITING));
                    queue.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(0));
                    assertThat(askedOn).as("threads the source was asked on").contains(Thread.currentThread());
                } finally {
                    gpu.autoComplete(true);
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
    }

    @Test
    void withoutItNothingDecidesOnTheSubmittingThread() {
        FakeGpu gpu = new FakeGpu();
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(new OnlineFirst())
                    .threadFactory(noSchedulingThread()).decideOnSubmit(false).build()) {
                XQueue lp = scheduler.createQueue(gpu, new XQueueConfig("lp", 2, 1));
                lp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(0));
                assertThat(lp.stats().suspended()).as("a new queue waits for a round that never comes").isTrue();
                gpu.autoComplete(true); // the close resumes lp: its launch and what the close issues complete
                gpu.streams().forEach(FakeStream::completeAll);
            }
        });
    }

    @Test
    void aBadSettingIsRefusedByName() {
        String old = System.getProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY);
        System.setProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY, "yes");
        try {
            assertThatThrownBy(() -> XScheduler.builder().jmx(false).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(XScheduler.DECIDE_ON_SUBMIT_PROPERTY).hasMessageContaining("'yes'");
        } finally {
            if (old == null) {
                System.clearProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY);
            } else {
                System.setProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY, old);
            }
        }
    }
}
