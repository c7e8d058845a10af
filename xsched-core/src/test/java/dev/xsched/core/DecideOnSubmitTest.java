package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.xsched.testsupport.Watchdog.until;
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
        ThreadFactory capturing = SchedulingThreads.capturing(schedulingThread);
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
            until(() -> !lp.stats().suspended() && SchedulingThreads.waitsForEvents(schedulingThread));
            hp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0));
            assertThat(lp.stats().suspended()).as("round %d: lp suspended when hp's launch returns", round).isTrue();
            until(() -> {
                hpStream.completeAll(); // hp's sync point may reach the stream after a first completeAll
                return !lp.stats().suspended();
            });
        }
        assertThat(lp.stats().suspensions() - suspensionsBefore).isEqualTo(100);
    }

    @Test
    void aRoundOnTheSubmittingThreadWakesASpinningSchedulingThreadForTheWorksEnd() {
        // Every round wakes it; seen in at least half, since this thread, looking for 50 ms, can
        // itself be off its CPU through much of the 10 ms spin on a loaded host.
        assertThat(roundsThatWokeTheSchedulingThread(Duration.ofMillis(10))).as("of 20, with a 10 ms spin")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void withoutASpinTheRoundOnTheSubmittingThreadLeavesTheSchedulingThreadAsleep() {
        assertThat(roundsThatWokeTheSchedulingThread(Duration.ZERO)).as("of 20, with no spin").isZero();
    }

    /**
     * In how many of 20 rounds the scheduling thread, asleep in its wait for events, left it within
     * 50 ms of a launch that turned "hp" ready and was decided on the submitting thread, before
     * hp's work ended (its end, the idle, wakes the thread in any case).
     */
    private static int roundsThatWokeTheSchedulingThread(Duration spin) {
        FakeGpu gpu = new FakeGpu();
        AtomicReference<Thread> schedulingThread = new AtomicReference<>();
        ThreadFactory capturing = SchedulingThreads.capturing(schedulingThread);
        AtomicInteger woken = new AtomicInteger();
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(new OnlineFirst()).threadFactory(capturing)
                    .decideOnSubmit(true).eventSpin(spin).build()) {
                try {
                    Kernel kernel = gpu.kernel("k");
                    XQueue lp = scheduler.createQueue(gpu, new XQueueConfig("lp", 2, 1));
                    XQueue hp = scheduler.createQueue(gpu, new XQueueConfig("hp", 2, 1));
                    lp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0)); // never completed: lp has work throughout
                    FakeStream hpStream = (FakeStream) hp.stream();
                    for (int round = 0; round < 20; round++) {
                        until(() -> !lp.stats().suspended() && SchedulingThreads.waitsForEvents(schedulingThread.get()));
                        hp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0));
                        assertThat(lp.stats().suspended()).as("decided on the submitting thread").isTrue();
                        long start = System.nanoTime();
                        boolean awake = false;
                        while (!awake && System.nanoTime() - start < Duration.ofMillis(50).toNanos()) {
                            awake = !SchedulingThreads.waitsForEvents(schedulingThread.get());
                        }
                        if (awake) {
                            woken.incrementAndGet();
                        }
                        until(() -> {
                            hpStream.completeAll();
                            return !lp.stats().suspended();
                        });
                    }
                } finally {
                    gpu.autoComplete(true);
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
        return woken.get();
    }

    @Test
    void aTimerAskedForInARoundOnTheSubmittingThreadFallsDue() {
        // Two submissions in a row turn two queues ready while the scheduling thread sleeps with no
        // timer: the first one's round asks for a wake-up 20 ms on and posts a wake for it, and the
        // second one's round, which takes that wake from the queue, must post another, or the
        // scheduling thread, woken to an empty queue, sleeps past the timer with nothing to wake it.
        AtomicLong due = new AtomicLong(-1);
        AtomicBoolean fellDue = new AtomicBoolean();
        Policy wakesItselfUp = new Policy() {
            @Override
            public String name() {
                return "wakes-itself-up";
            }

            @Override
            public void schedule(SchedulingContext context) {
                boolean aReady = context.queues().stream().anyMatch(q -> q.name().equals("a") && q.ready());
                if (aReady && due.get() < 0) {
                    due.set(context.now() + Duration.ofMillis(20).toNanos());
                }
                if (due.get() >= 0 && context.now() >= due.get()) {
                    fellDue.set(true);
                } else if (due.get() >= 0) {
                    context.wakeUpAt(due.get());
                }
                context.queues().forEach(q -> context.resume(q.id()));
            }
        };
        FakeGpu gpu = new FakeGpu();
        AtomicReference<Thread> schedulingThread = new AtomicReference<>();
        ThreadFactory capturing = SchedulingThreads.capturing(schedulingThread);
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(wakesItselfUp).threadFactory(capturing)
                    .decideOnSubmit(true).build()) {
                try {
                    XQueue a = scheduler.createQueue(gpu, new XQueueConfig("a", 2, 1));
                    XQueue b = scheduler.createQueue(gpu, new XQueueConfig("b", 2, 1));
                    until(() -> !a.stats().suspended() && !b.stats().suspended()
                            && SchedulingThreads.waitsForEvents(schedulingThread.get()));
                    a.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(0));
                    b.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(0));
                    long start = System.nanoTime();
                    until(() -> fellDue.get() || System.nanoTime() - start > Duration.ofSeconds(5).toNanos());
                    assertThat(fellDue).as("the policy's timer fell due within 5 s").isTrue();
                } finally {
                    gpu.autoComplete(true);
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
    }

    @Test
    void aSubmissionInsideARoundIsDecidedAfterItNotWithinIt() {
        // A round on the submitting thread resumes queue "cb", whose release runs its host callback
        // on that thread, inside the round; the callback's launch turns "hp" ready. Decided within
        // the round, that decision (suspend "lp") would be undone by the rest of the outer round's
        // application (resume "lp", decided before "hp" was ready); posted, it is decided after it.
        Policy policy = new Policy() {
            @Override
            public String name() {
                return "online-first, cb only while it has work";
            }

            @Override
            public void schedule(SchedulingContext context) {
                boolean online = context.queues().stream().anyMatch(q -> q.name().equals("hp") && q.ready());
                for (QueueStatus q : context.queues()) {
                    boolean suspend = q.name().equals("lp") ? online : q.name().equals("cb") && !q.ready();
                    if (suspend) {
                        context.suspend(q.id());
                    } else {
                        context.resume(q.id());
                    }
                }
            }
        };
        FakeGpu gpu = new FakeGpu();
        AtomicReference<Thread> schedulingThread = new AtomicReference<>();
        ThreadFactory capturing = SchedulingThreads.capturing(schedulingThread);
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(policy).threadFactory(capturing)
                    .decideOnSubmit(true).build()) {
                try {
                    Kernel kernel = gpu.kernel("k");
                    XQueue cb = scheduler.createQueue(gpu, new XQueueConfig("cb", 2, 1)); // first: applied first
                    XQueue lp = scheduler.createQueue(gpu, new XQueueConfig("lp", 2, 1));
                    XQueue hp = scheduler.createQueue(gpu, new XQueueConfig("hp", 2, 1));
                    lp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0)); // never completed: lp has work throughout
                    until(() -> !lp.stats().suspended() && !hp.stats().suspended() && cb.stats().suspended()
                            && SchedulingThreads.waitsForEvents(schedulingThread.get()));
                    long suspensionsBefore = lp.stats().suspensions();
                    cb.callback(() -> hp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1))); // hp's launch never completes
                    long start = System.nanoTime();
                    until(() -> lp.stats().suspended() || System.nanoTime() - start > Duration.ofSeconds(5).toNanos());
                    assertThat(lp.stats().suspended()).as("lp suspended while hp has work").isTrue();
                    // Decided within the round, lp would have been suspended, resumed by the outer
                    // round, and suspended again by a later one (cb's idle): twice, not once.
                    until(() -> SchedulingThreads.waitsForEvents(schedulingThread.get()));
                    assertThat(lp.stats().suspensions() - suspensionsBefore).as("lp's suspensions").isEqualTo(1);
                    assertThat(lp.stats().suspended()).isTrue();
                } finally {
                    gpu.autoComplete(true);
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
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
    void theSchedulerTellsWhichSettingItRunsWith() {
        String old = System.getProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY);
        System.setProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY, "true");
        try (XScheduler fromProperty = XScheduler.builder().jmx(false).build();
             XScheduler setOff = XScheduler.builder().jmx(false).decideOnSubmit(false).build();
             XScheduler manual = XScheduler.builder().jmx(false).manual(() -> { }).decideOnSubmit(true).build()) {
            assertThat(fromProperty.decidesOnSubmit()).as("the property's default").isTrue();
            assertThat(setOff.decidesOnSubmit()).as("the builder over the property").isFalse();
            assertThat(manual.decidesOnSubmit()).as("a manual scheduler has no submitting-thread rounds").isFalse();
        } finally {
            if (old == null) {
                System.clearProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY);
            } else {
                System.setProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY, old);
            }
        }
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
