package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The completion thread covers released work with a sync point once the releases have been quiet
 * for a while, not a fixed time after the first: a burst that takes longer to submit than that
 * while its submitter keeps submitting (an online request of 23 launches: 0.11 ms on the H100,
 * against the 50 us the thread used to wait) gets no sync point in its middle from that thread,
 * and a submitter that never pauses still gets one within the cap.
 */
class UncoveredLingerTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);

    private final FakeGpu gpu = new FakeGpu().autoComplete(true);
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void aWaitEndsAQuietPeriodAfterTheLastReleaseItSaw() {
        UncoveredLinger.Wait wait = new UncoveredLinger(50, 1_000).begin(0, 5);
        assertThat(wait.remaining(10, 5)).as("nothing released since the start").isEqualTo(40);
        assertThat(wait.remaining(50, 7)).as("released more by the deadline: another quiet period").isEqualTo(50);
        assertThat(wait.remaining(80, 9)).as("released more before the new deadline: it stands").isEqualTo(20);
        assertThat(wait.remaining(100, 9)).as("at the deadline, released during the period: one more").isEqualTo(50);
        assertThat(wait.remaining(150, 9) <= 0).as("quiet for a whole period: record now").isTrue();
    }

    @Test
    void aWaitEndsAtTheCapHoweverLongTheReleasesGoOn() {
        UncoveredLinger.Wait wait = new UncoveredLinger(50, 120).begin(0, 0);
        assertThat(wait.remaining(50, 1)).isEqualTo(50);
        assertThat(wait.remaining(100, 2)).as("the next quiet period would pass the cap").isEqualTo(20);
        assertThat(wait.remaining(120, 3) <= 0).isTrue();
    }

    @Test
    void aQuietPeriodLongerThanTheCapIsRefused() {
        assertThatThrownBy(() -> new UncoveredLinger(100, 50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quiet <= cap");
        assertThatThrownBy(() -> new UncoveredLinger(-1, 50)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * 15 launches 40 ms apart (560 ms) against a quiet period of 400 ms: the old rule (400 ms
     * after the first release) recorded a sync point after the eleventh launch; now the only one
     * follows the last. The margin for a stalled host is 360 ms between two launches.
     */
    @Test
    void aBurstLongerThanTheQuietPeriodGetsItsSyncPointAfterItsLastRelease() {
        withStartedQueue(new UncoveredLinger(millis(400), millis(60_000)), (stream, queue) -> {
            for (int i = 1; i <= 15; i++) {
                launch(queue, i);
                sleep(40);
            }
            assertThat(stream.log()).as("no sync point in the middle of the burst").doesNotContain("sync");
            List<String> log = awaitSyncPoint(stream);
            assertThat(log.indexOf("sync")).as("the one sync point, after the 15 launches: " + log).isEqualTo(15);
        });
    }

    /** Launches 20 ms apart for 1.5 s, a quiet period of 300 ms and a cap of 600 ms: covered within the burst. */
    @Test
    void aSubmitterThatNeverPausesIsCoveredWithinTheCap() {
        withStartedQueue(new UncoveredLinger(millis(300), millis(600)), (stream, queue) -> {
            long end = System.nanoTime() + millis(1_500);
            int tag = 0;
            while (System.nanoTime() - end < 0) {
                launch(queue, ++tag);
                sleep(20);
            }
            // The cap (600 ms: about the 30th launch) and not the releaser's batch of 64
            // (about 1.3 s in) brought the first sync point.
            List<String> log = stream.log();
            assertThat(log.indexOf("sync")).as("the first sync point, within the cap: " + log).isBetween(1, 50);
        });
    }

    /**
     * A burst that a waiter covered itself (it recorded its sync point and saw it complete before
     * the completion thread looked again) leaves no wait behind: the next burst, after the cap,
     * gets its own quiet period. A wait kept from the burst before had passed its cap, and the
     * thread recorded a sync point after the next burst's first launch. Whether the completion
     * thread is still waiting when the waiter covers the burst is a race, so ten rounds.
     */
    @Test
    void aBurstCoveredByItsWaiterLeavesNoWaitForTheNextBurst() {
        withStartedQueue(new UncoveredLinger(millis(100), millis(200)), (stream, queue) -> {
            int tag = 0;
            for (int round = 0; round < 10; round++) {
                launch(queue, ++tag);
                queue.awaitSettled(queue.submittedSeq()); // covered by this thread's own sync point
                sleep(250); // past the cap of a wait begun at that launch
                int from = stream.log().size();
                for (int i = 0; i < 3; i++) {
                    launch(queue, ++tag);
                    sleep(2);
                }
                queue.awaitSettled(queue.submittedSeq());
                List<String> burst = stream.log().subList(from, from + 3);
                assertThat(burst).as("round " + round + ": the three launches, no sync point between them: "
                        + stream.log()).noneMatch("sync"::equals);
            }
        });
    }

    /** Runs {@code body} under the watchdog on a started queue (threshold and batch 64) over a fresh stream, closed after. */
    private void withStartedQueue(UncoveredLinger linger, BiConsumer<FakeStream, QueueCore> body) {
        Watchdog.within(HANG, () -> {
            FakeStream stream = (FakeStream) gpu.createStream(0);
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 64, 64), stream, System::nanoTime,
                    NoQueueListener.INSTANCE, linger);
            queue.start(Thread.ofPlatform().name("completions").factory());
            try {
                body.accept(stream, queue);
            } finally {
                close(queue);
            }
        });
    }

    private void launch(QueueCore queue, int tag) {
        queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, ONE, FakeGpu.tag(tag)));
    }

    private static List<String> awaitSyncPoint(FakeStream stream) {
        while (!stream.log().contains("sync")) {
            sleep(5);
        }
        return stream.log();
    }

    private static void close(QueueCore queue) {
        queue.beginClose(true);
        queue.shutdown();
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }

    private static void sleep(long ms) {
        LockSupport.parkNanos(millis(ms));
    }
}
