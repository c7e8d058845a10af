package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A scheduling thread that polls for events before it blocks ({@link XScheduler.Builder#eventSpin})
 * still takes every event (most of them arrive while it spins), lets policy timers fall due during
 * a spin, and stops on close; a watchdog turns a missed event into a failure with a thread dump.
 */
class SchedulerEventSpinTest {
    @Test
    void everyReadyAndIdleIsDecidedWhileTheThreadSpins() {
        FakeGpu gpu = new FakeGpu();
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(new OnlineFirst())
                    .eventSpin(Duration.ofMillis(5)).build()) {
                Kernel kernel = gpu.kernel("k");
                XQueue lp = scheduler.createQueue(gpu, new XQueueConfig("lp", 2, 1));
                XQueue hp = scheduler.createQueue(gpu, new XQueueConfig("hp", 2, 1));
                lp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0)); // never completed: lp has work throughout
                until(() -> !lp.stats().suspended());
                long suspensionsBefore = lp.stats().suspensions();
                for (int round = 0; round < 300; round++) {
                    hp.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(0));
                    until(() -> lp.stats().suspended());
                    // Completes what hp has issued until lp runs again, as a GPU would: the sync
                    // point of hp's launch may reach the stream after a first completeAll.
                    FakeStream hpStream = (FakeStream) hp.stream();
                    until(() -> {
                        hpStream.completeAll();
                        return !lp.stats().suspended();
                    });
                }
                ((FakeStream) lp.stream()).completeAll();
                lp.synchronize();
                assertThat(lp.stats().suspensions() - suspensionsBefore).isEqualTo(300);
            }
        });
    }

    @Test
    void aTimerFallsDueDuringASpin() {
        AtomicLong virtualNanos = new AtomicLong();
        AtomicInteger rounds = new AtomicInteger();
        Policy wakesItselfUp = new Policy() {
            @Override
            public String name() {
                return "wakes-itself-up";
            }

            @Override
            public void schedule(SchedulingContext context) {
                rounds.incrementAndGet();
                context.wakeUpAt(context.now() + 1_000);
                context.queues().forEach(q -> context.resume(q.id()));
            }
        };
        FakeGpu gpu = new FakeGpu();
        Watchdog.within(Duration.ofSeconds(60), () -> {
            // A spin of 10 ms, the longest; the virtual clock moves only when the test says.
            try (XScheduler scheduler = XScheduler.builder().jmx(false).clock(virtualNanos::get).policy(wakesItselfUp)
                    .eventSpin(Duration.ofMillis(10)).build()) {
                scheduler.createQueue(gpu, new XQueueConfig("q", 2, 1));
                until(() -> rounds.get() >= 1);
                for (int timer = 1; timer <= 20; timer++) {
                    int before = rounds.get();
                    virtualNanos.addAndGet(1_000);
                    until(() -> rounds.get() > before);
                }
            }
        });
    }

    @Test
    void aSpinOutOfRangeOrNotANumberIsRefused() {
        assertThatThrownBy(() -> XScheduler.builder().eventSpin(Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 10 ms");
        assertThatThrownBy(() -> XScheduler.builder().eventSpin(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        String before = System.getProperty(XScheduler.SPIN_PROPERTY);
        System.setProperty(XScheduler.SPIN_PROPERTY, "soon");
        try {
            assertThatThrownBy(() -> XScheduler.builder().jmx(false).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("XSCHED_SCHEDULER_SPIN_US must be a number of microseconds, got 'soon'");
            System.setProperty(XScheduler.SPIN_PROPERTY, "250");
            XScheduler.builder().jmx(false).build().close(); // a valid setting builds
        } finally {
            if (before == null) {
                System.clearProperty(XScheduler.SPIN_PROPERTY);
            } else {
                System.setProperty(XScheduler.SPIN_PROPERTY, before);
            }
        }
    }
}
