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
 * A queue with an idle poll: its completion thread, idle soon after work, looks for the next
 * burst by itself, so the release that starts the burst does not wake it (a wake-up on the
 * submitting thread before its next command); a burst with no waiter is still covered and
 * completed, a poll period later at most; and past the window the thread sleeps until woken, as
 * without the poll.
 */
class IdlePollTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);
    /** The completion thread's quiet period before it covers a burst itself: short, so that its sync point comes soon once it looks. */
    private static final UncoveredLinger QUICK_LINGER = new UncoveredLinger(millis(5), millis(50));

    private final FakeGpu gpu = new FakeGpu().autoComplete(true);
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void theThreadPollsWithinTheWindowOfItsLastWorkAndSleepsBeforeAndAfterIt() {
        IdlePoll poll = new IdlePoll(100, 1_000, 0);
        assertThat(poll.waitNanos(10)).as("no work seen yet: sleep until woken").isLessThanOrEqualTo(0);
        poll.sawWork(50);
        assertThat(poll.waitNanos(60)).isEqualTo(100);
        assertThat(poll.waitNanos(1_000)).as("no look past the window's end").isEqualTo(50);
        assertThat(poll.waitNanos(1_049)).as("the window's last instant").isEqualTo(1);
        assertThat(poll.waitNanos(1_050)).as("past the window").isLessThanOrEqualTo(0);

        IdlePoll off = new IdlePoll(0, 1_000, 0);
        off.sawWork(50);
        assertThat(off.enabled()).isFalse();
        assertThat(off.waitNanos(60)).as("no period: never polls").isLessThanOrEqualTo(0);
        assertThat(off.waitNanosNow()).as("nor from now").isZero();
        assertThatThrownBy(() -> new IdlePoll(-1, 1_000, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfigurationTakesAPeriodAndRefusesANegativeOne() {
        XQueueConfig config = XQueueConfig.defaults("q");
        assertThat(config.idlePoll()).as("off unless asked for").isEqualTo(Duration.ZERO);
        XQueueConfig polling = config.withIdlePoll(Duration.ofMillis(1)).withThreshold(4).withWaitSpin(Duration.ZERO);
        assertThat(polling.idlePoll()).as("kept by the other copies").isEqualTo(Duration.ofMillis(1));
        assertThat(new XQueueConfig("q", 4, 2, true, false, Duration.ZERO).idlePoll()).isEqualTo(Duration.ZERO);
        for (Duration wrong : List.of(Duration.ofNanos(-1), Duration.ofNanos(1), Duration.ofMillis(251))) {
            assertThatThrownBy(() -> config.withIdlePoll(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("idle poll must be 0 or from PT0.00001S to PT0.25S");
        }
        assertThat(config.withIdlePoll(XQueueConfig.MIN_IDLE_POLL).withIdlePoll(XQueueConfig.IDLE_POLL_WINDOW).idlePoll())
                .isEqualTo(XQueueConfig.IDLE_POLL_WINDOW);
    }

    /**
     * With a 250 ms period, a launch made while the thread polls is not seen by it until its next
     * look: no sync point from it within 100 ms (woken at the release, it would record one after
     * its 5 ms quiet period), and the launch is covered and completes with no waiter.
     */
    @Test
    void aBurstStartedWhileTheThreadPollsDoesNotWakeItAndIsCoveredAtItsNextLook() {
        withStartedQueue(Duration.ofMillis(250), (stream, queue) -> {
            becomePolling(queue);
            int from = stream.log().size();
            launch(queue, 2);
            sleep(100);
            List<String> log = stream.log();
            assertThat(log.subList(from, log.size())).as("not woken by the release: " + log).noneMatch("sync"::equals);
            awaitCompleted(queue, queue.submittedSeq());
        });
    }

    /** Without the poll the release wakes the thread, which covers the burst after its quiet period. */
    @Test
    void withoutThePollTheReleaseWakesTheThread() {
        withStartedQueue(Duration.ZERO, (stream, queue) -> {
            launch(queue, 1);
            queue.awaitSettled(queue.submittedSeq());
            sleep(20);
            assertThat(queue.completionThreadPolls()).isFalse();
            launch(queue, 2);
            awaitCompleted(queue, queue.submittedSeq());
        });
    }

    /** Past the window the thread sleeps until woken: a launch then wakes it, as without the poll. */
    @Test
    void pastTheWindowTheThreadSleepsAndTheNextReleaseWakesIt() {
        withStartedQueue(Duration.ofMillis(20), (stream, queue) -> {
            becomePolling(queue);
            sleep(XQueueConfig.IDLE_POLL_WINDOW.toMillis() + 100);
            assertThat(queue.completionThreadPolls()).as("asleep past the window").isFalse();
            launch(queue, 2);
            awaitCompleted(queue, queue.submittedSeq());
        });
    }

    /** Runs {@code body} under the watchdog on a started queue (threshold and batch 64) with the idle poll given, closed after. */
    private void withStartedQueue(Duration idlePoll, BiConsumer<FakeStream, QueueCore> body) {
        Watchdog.within(HANG, () -> {
            FakeStream stream = (FakeStream) gpu.createStream(0);
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 64, 64).withIdlePoll(idlePoll), stream, System::nanoTime,
                    NoQueueListener.INSTANCE, QUICK_LINGER);
            queue.start(Thread.ofPlatform().name("completions").factory());
            try {
                body.accept(stream, queue);
            } finally {
                queue.beginClose(true);
                queue.shutdown();
            }
        });
    }

    private void launch(QueueCore queue, int tag) {
        queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, ONE, FakeGpu.tag(tag)));
    }

    /**
     * Runs bursts, each waited for (the waiter covers it and sees it complete itself, so the
     * completion thread may find nothing when it wakes), until the completion thread polls. The
     * first burst's release wakes it, which opens the window; a second is needed only where the
     * thread had not begun to wait when the first came.
     */
    private void becomePolling(QueueCore queue) {
        int tag = 1000;
        do {
            launch(queue, ++tag);
            queue.awaitSettled(queue.submittedSeq());
            sleep(5);
        } while (!queue.completionThreadPolls());
    }

    /** Waits, without recording a sync point of its own, until the completion thread saw {@code seq} complete. */
    private static void awaitCompleted(QueueCore queue, long seq) {
        while (!queue.isCompleted(seq)) {
            sleep(1);
        }
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }

    private static void sleep(long ms) {
        LockSupport.parkNanos(millis(ms));
    }
}
