package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.xsched.testsupport.Watchdog.until;

/**
 * A scheduling thread that spins before it blocks ({@link XScheduler.Builder#eventSpin}) and a
 * round on a submitting thread ({@link XScheduler.Builder#decideOnSubmit}) lose no policy timer.
 * The interleaving that lost one, forced step by step on virtual time: the scheduling thread
 * publishes the deadline D0 it waits for and spins; a submitter's round at D0 takes that timer and
 * asks for a later one, D1; the spin ends and the thread blocks until D1; a second submitter's
 * round asks for D2 between D0 and D1. It must wake the scheduling thread, which still published
 * D0 as its deadline, so compared with D0 the round saw no need to, and D2 fell due only at D1.
 * A watchdog turns the lost timer into a failure with a thread dump.
 */
class TimerAfterSpinTest {
    private static final long D0 = Duration.ofHours(1).toNanos();
    private static final long D1 = D0 + Duration.ofHours(10).toNanos();
    private static final long D2 = D0 + 1_000;

    private final AtomicLong virtualNanos = new AtomicLong();
    /** The policy's next wake-up, asked for in every round before it is due. */
    private final AtomicLong target = new AtomicLong(D0);
    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicInteger queuesSeen = new AtomicInteger();
    /** The latest round's time. */
    private final AtomicLong lastRoundAt = new AtomicLong(-1);

    /** Set: the scheduling thread's next check for a due timer during a spin stops in the clock. */
    private final AtomicBoolean holdNextTimerCheck = new AtomicBoolean();
    private final CountDownLatch timerCheckHeld = new CountDownLatch(1);
    private final CountDownLatch letTimerCheckGo = new CountDownLatch(1);

    private final Policy wakesAtTarget = new Policy() {
        @Override
        public String name() {
            return "wakes-at-target";
        }

        @Override
        public void schedule(SchedulingContext context) {
            queuesSeen.set(context.queues().size());
            lastRoundAt.set(context.now());
            rounds.incrementAndGet();
            if (target.get() > context.now()) {
                context.wakeUpAt(target.get());
            }
            context.queues().forEach(q -> context.resume(q.id()));
        }
    };

    /** The virtual time; the check for a due timer in a spin stops here while the test holds it. */
    private long now() {
        if (holdNextTimerCheck.get() && calledByTimerCheck() && holdNextTimerCheck.compareAndSet(true, false)) {
            timerCheckHeld.countDown();
            Watchdog.await(letTimerCheckGo);
        }
        return virtualNanos.get();
    }

    private static boolean calledByTimerCheck() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                frame.getClassName().equals(SchedulingLoop.class.getName()) && frame.getMethodName().equals("timerDue")));
    }

    @Test
    void aTimerAddedWhileTheThreadWaitsPastItWakesTheThreadThoughItSpunFirst() {
        FakeGpu gpu = new FakeGpu();
        Kernel kernel = gpu.kernel("k");
        AtomicReference<Thread> schedulingThread = new AtomicReference<>();
        Watchdog.within(Duration.ofSeconds(30), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).clock(this::now).policy(wakesAtTarget)
                    .threadFactory(SchedulingThreads.capturing(schedulingThread)).eventSpin(Duration.ofMillis(10))
                    .decideOnSubmit(true).build()) {
                try {
                    XQueue a = scheduler.createQueue(gpu, new XQueueConfig("a", 2, 1));
                    XQueue b = scheduler.createQueue(gpu, new XQueueConfig("b", 2, 1));
                    Thread thread = schedulingThread.get();
                    until(() -> queuesSeen.get() == 2 && SchedulingThreads.waitsForEvents(thread));

                    // (1) The thread publishes D0 and spins; its first look at the timers stops here.
                    holdNextTimerCheck.set(true);
                    while (timerCheckHeld.getCount() > 0) {
                        int before = rounds.get();
                        a.hint(new Hint.Priority(1)); // a round, then a wait for D0 that spins first
                        until(() -> rounds.get() > before);
                        // A spin that ran out before its first look (a descheduled thread) blocks: again.
                        until(() -> timerCheckHeld.getCount() == 0 || SchedulingThreads.waitsForEvents(thread));
                    }

                    // (2) At D0, a's launch turns it ready: its round takes D0 and asks for D1.
                    virtualNanos.set(D0);
                    target.set(D1);
                    a.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1));

                    // (3) The spin ends (D0 was due) and the thread blocks until D1.
                    letTimerCheckGo.countDown();
                    until(() -> SchedulingThreads.waitsForEvents(thread));

                    // (4) b's launch turns it ready: its round asks for D2, before D1.
                    target.set(D2);
                    b.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(2));

                    // (5) D2 falls due and the policy decides at it, not ten hours later.
                    virtualNanos.set(D2);
                    until(() -> lastRoundAt.get() >= D2);
                } finally {
                    gpu.autoComplete(true);
                    gpu.streams().forEach(FakeStream::completeAll);
                }
            }
        });
    }
}
