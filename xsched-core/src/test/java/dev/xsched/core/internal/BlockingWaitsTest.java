package dev.xsched.core.internal;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipException;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A thread blocks on a plain sync point through a watch of its own: a stream that waits for the
 * sync point on the device, then records a {@code BLOCKING_SYNC} event, on which the thread
 * blocks. On the fake GPU the watch stream completes as the event it waits for does.
 */
class BlockingWaitsTest {
    private final FakeGpu gpu = new FakeGpu();
    private final FakeStream queueStream = (FakeStream) gpu.createStream(0);

    @Test
    void aBlockedWaitReturnsOnceTheSyncPointCompletesAndNotBefore() {
        Watchdog.within(Duration.ofSeconds(30), () -> {
            Event syncPoint = syncPointAfterALaunch();
            BlockingWaits waits = new BlockingWaits(queueStream);
            CompletableFuture<Void> waiter = onThreadOfItsOwn(() -> waits.await(syncPoint));

            awaitBlocked(1);
            Thread.sleep(50);
            assertThat(waiter).as("blocked while the launch runs").isNotDone();
            queueStream.completeAll();
            waiter.get(20, TimeUnit.SECONDS);

            FakeStream watch = gpu.watchStreams().getFirst();
            assertThat(watch.log()).as("the watch: a device-side wait for the sync point, then its own event")
                    .hasSize(2).first().asString().startsWith("wait e");
            assertThat(watch.log().get(1)).startsWith("record e");
            assertThat(watch.priority()).as("at the queue's priority").isEqualTo(queueStream.priority());
            assertThat(gpu.streams()).as("the streams tests script leave the watch out").containsExactly(queueStream);
        });
    }

    @Test
    void threadsBlockedAtOnceEachHaveAWatchAndLaterWaitsReuseThem() {
        Watchdog.within(Duration.ofSeconds(30), () -> {
            Event first = syncPointAfterALaunch();
            Event second = syncPointAfterALaunch();
            BlockingWaits waits = new BlockingWaits(queueStream);
            CompletableFuture<Void> a = onThreadOfItsOwn(() -> waits.await(second));
            CompletableFuture<Void> b = onThreadOfItsOwn(() -> waits.await(first));
            awaitBlocked(2);
            assertThat(waits.watches()).as("one watch per blocked thread: a shared stream would hold the earlier"
                    + " sync point's waiter until the later one's wait ended").isEqualTo(2);

            queueStream.completeNext(2); // the first launch and the first sync point only
            b.get(20, TimeUnit.SECONDS);
            assertThat(a).as("the later sync point's waiter").isNotDone();
            queueStream.completeAll();
            a.get(20, TimeUnit.SECONDS);

            waits.await(syncPointAfterALaunchCompleted());
            assertThat(waits.watches()).as("reused, not made again").isEqualTo(2);
        });
    }

    @Test
    void closeFreesEveryWatchAndLaterWaitsThrow() {
        Watchdog.within(Duration.ofSeconds(30), () -> {
            BlockingWaits waits = new BlockingWaits(queueStream);
            waits.await(syncPointAfterALaunchCompleted());
            int closedBefore = gpu.eventsClosed.get();

            waits.close();

            assertThat(gpu.watchStreams()).singleElement().satisfies(s -> assertThat(s.isOpen()).isFalse());
            assertThat(gpu.eventsClosed.get() - closedBefore).as("the watch's event").isEqualTo(1);
            assertThat(waits.watches()).isZero();
            Event later = syncPointAfterALaunchCompleted();
            assertThatThrownBy(() -> waits.await(later)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        });
    }

    @Test
    void aWatchWhoseWaitFailedIsFreedAndTheFailureThrown() {
        Watchdog.within(Duration.ofSeconds(30), () -> {
            BlockingWaits waits = new BlockingWaits(queueStream);
            Event syncPoint = syncPointAfterALaunchCompleted();
            gpu.onIssue = issued -> {
                if (issued.what().startsWith("wait ")) {
                    throw new HipException(700, "hipErrorIllegalAddress", "an illegal memory access", "hipStreamWaitEvent");
                }
            };

            assertThatThrownBy(() -> waits.await(syncPoint)).isInstanceOf(HipException.class)
                    .hasMessageContaining("hipStreamWaitEvent");

            assertThat(waits.watches()).as("not kept for another wait").isZero();
            assertThat(gpu.watchStreams()).singleElement().satisfies(s -> assertThat(s.isOpen()).isFalse());
        });
    }

    /** On a thread of its own (the common pool may have one worker, and each wait blocks one). */
    private static CompletableFuture<Void> onThreadOfItsOwn(Runnable body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private Event syncPointAfterALaunch() {
        queueStream.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        Event event = gpu.createEvent();
        queueStream.record(event);
        return event;
    }

    private Event syncPointAfterALaunchCompleted() {
        Event event = syncPointAfterALaunch();
        queueStream.completeAll();
        return event;
    }

    /** Until {@code n} threads blocked on an event (each on its watch's, or the sync point's behind it). */
    private void awaitBlocked(int n) throws InterruptedException {
        while (gpu.watchStreams().stream().map(FakeStream::log).filter(log -> log.size() == 2).count() < n
                || gpu.blockedOnEvents.size() < n) {
            Thread.sleep(1);
        }
    }
}
