package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReleaserDeferral}: the rules on virtual time (a clock the sleeps advance, releases
 * scripted against it), then on a queue over the fake GPU, whose streams complete only when the
 * test says: while a releaser runs ahead of the pending sync point, the completion thread makes no
 * driver calls of its own (its blocking wait would make a watch stream), and once the releases stop
 * it blocks on the sync point as before (a deferral that never ended would hang the test).
 */
class ReleaserDeferralTest {
    private static final long US = 1_000;
    private static final UncoveredLinger QUIET_50_CAP_1000 = new UncoveredLinger(50 * US, 1_000 * US);

    /** Virtual time: each sleep advances it by what was asked; the script says what was released by when. */
    private static final class VirtualRun {
        final AtomicLong now = new AtomicLong();
        final List<Long> sleeps = new ArrayList<>();
        final ReleaserDeferral deferral;

        /** @param releasedAt where the releases stand at a time, null where the releaser stopped running ahead */
        VirtualRun(LongFunction<ReleaserDeferral.Ahead> releasedAt) {
            deferral = new ReleaserDeferral(point -> releasedAt.apply(now.get()), QUIET_50_CAP_1000, now::get,
                    nanos -> {
                        sleeps.add(nanos);
                        now.addAndGet(nanos);
                    });
        }
    }

    private static ReleaserDeferral.Ahead released(long seq) {
        return new ReleaserDeferral.Ahead(seq, false);
    }

    private static ReleaserDeferral.Ahead buffered(long seq) {
        return new ReleaserDeferral.Ahead(seq, true);
    }

    @Test
    void itDoesNotSleepWhereNothingWasReleasedBeyondThePoint() {
        VirtualRun run = new VirtualRun(t -> null);
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.NOT_AHEAD);
        assertThat(run.sleeps).isEmpty();
    }

    @Test
    void itDoesNotSleepWhereACommandWaitsInTheBufferAtTheFirstLook() {
        VirtualRun run = new VirtualRun(t -> buffered(9));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.NOT_AHEAD);
        assertThat(run.sleeps).isEmpty();
    }

    @Test
    void afterTheLastReleaseItSleepsUntilTheReleasesWereQuietForAWholePeriod() {
        // A release every 10 us until 200 us, then none: the period that began at 150 us saw
        // releases (at 150-200 us), the one from 200 to 250 us saw none.
        VirtualRun run = new VirtualRun(t -> released(1 + Math.min(t, 200 * US) / (10 * US)));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(250 * US);
        assertThat(run.sleeps).allMatch(s -> s <= ReleaserDeferral.SLICE_NANOS);
    }

    @Test
    void afterADeferralEndedInQuietTheNextPointIsNotDeferredForAnotherQuietPeriod() {
        // The releaser stopped at 200 us, leaving several sync points pending: the first deferral
        // waits for the quiet, the next points (same releases) are not deferred again.
        VirtualRun run = new VirtualRun(t -> released(1 + Math.min(t, 200 * US) / (10 * US)));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        long ended = run.now.get();
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.QUIET_ALREADY);
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.QUIET_ALREADY);
        assertThat(run.now.get()).isEqualTo(ended);
    }

    @Test
    void aReleaserThatGoesOnAfterTheCapIsDeferredToAgain() {
        VirtualRun run = new VirtualRun(t -> released(1 + t / (5 * US)));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        run.now.addAndGet(10 * US); // the completion thread's blocking wait or query meanwhile
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(2_010 * US);
    }

    @Test
    void aReleaserThatNeverPausesIsDeferredToUntilTheCap() {
        VirtualRun run = new VirtualRun(t -> released(1 + t / (5 * US)));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(1_000 * US);
    }

    @Test
    void aCommandPassingThroughTheBufferDoesNotEndIt() {
        // After the first look, every look finds a submitter's command in the buffer, but releases
        // go on between looks (a first look that finds one means no deferral: the test above).
        VirtualRun run = new VirtualRun(t -> t == 0 ? released(1) : buffered(1 + t / (5 * US)));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(1_000 * US); // the cap, as without the buffer
    }

    @Test
    void aCommandHeldInTheBufferEndsItWithTheQuietItBrings() {
        // Releases until 130 us, then a command stays in the buffer (the threshold holds it): no
        // release from then on, so the period from 150 to 200 us is quiet.
        VirtualRun run = new VirtualRun(t -> t >= 130 * US ? buffered(131) : released(1 + t / US));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(200 * US);
    }

    @Test
    void thePointCompletingEndsItAtTheNextLook() {
        VirtualRun run = new VirtualRun(t -> t >= 130 * US ? null : released(1 + t / US));
        assertThat(run.deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(run.now.get()).isEqualTo(140 * US);
    }

    @Test
    void aParkThatReturnsEarlyIsResumedSoASliceIsWhole() {
        // The sleep advances the clock by a tenth of what was asked, as a park ended by a permit would.
        AtomicLong now = new AtomicLong();
        AtomicLong looks = new AtomicLong();
        ReleaserDeferral deferral = new ReleaserDeferral(point -> {
            looks.incrementAndGet();
            return released(7); // no release after the first look: quiet from the start
        }, QUIET_50_CAP_1000, now::get, nanos -> now.addAndGet(Math.max(1, nanos / 10)));
        assertThat(deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
        assertThat(now.get()).isGreaterThanOrEqualTo(50 * US);
        // One look at the start, then one a slice: 50 us of quiet take three slices of 20 us at most.
        assertThat(looks.get()).isLessThanOrEqualTo(1 + 3);
    }

    @Test
    void anInterruptDoesNotMakeItSpinAndIsKept() {
        AtomicLong looks = new AtomicLong();
        ReleaserDeferral deferral = new ReleaserDeferral(point -> released(Math.min(looks.incrementAndGet(), 3)),
                QUIET_50_CAP_1000);
        Thread.currentThread().interrupt();
        try {
            assertThat(deferral.defer(null)).isEqualTo(ReleaserDeferral.Outcome.DEFERRED);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt, set again").isTrue();
            // Spinning, it would have looked thousands of times in the quiet period's 50 us and more.
            assertThat(looks.get()).isLessThan(50);
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * On a queue: the burst's quiet here is far longer than any pause of the releasing thread on a
     * loaded machine of two cores (the deferral's rules are the virtual-time tests' above), so the
     * test says only that the queue defers and that the deferral ends. The device completes what
     * was released every few milliseconds, as a GPU keeping up with the launches would; without
     * the deferral the completion thread blocks on the first pending sync point at once.
     */
    @Test
    void theCompletionThreadStaysOffTheDriverWhileAReleaserRunsAheadAndBlocksOnceItStops() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            FakeGpu gpu = new FakeGpu();
            Kernel k = gpu.kernel("k");
            UncoveredLinger burst = new UncoveredLinger(Duration.ofMillis(500).toNanos(), Duration.ofSeconds(30).toNanos());
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 1_000_000, 8), gpu.createStream(0), () -> 0L,
                    NoQueueListener.INSTANCE, burst);
            FakeStream stream = (FakeStream) queue.stream();
            AtomicBoolean stop = new AtomicBoolean();
            try {
                Thread releaser = Thread.ofPlatform().name("releaser").start(() -> {
                    while (!stop.get()) {
                        launch(queue, k);
                        sleepQuietly(Duration.ofNanos(50_000));
                    }
                });
                // Started once the releaser ran ahead of the first sync points: started before,
                // the completion thread could find the first with nothing released after it yet,
                // and block on it, as it should.
                until(() -> queue.stats().launched() > 16);
                queue.start(Thread.ofPlatform().name("completions").factory());
                long before = queue.stats().launched();
                for (int i = 0; i < 60; i++) {
                    Thread.sleep(5);
                    stream.completeAll();
                }
                assertThat(queue.stats().launched() - before).as("released during the burst").isGreaterThan(50);
                assertThat(gpu.watchStreams()).as("watch streams of the completion thread during the burst").isEmpty();
                stop.set(true);
                releaser.join();
                long released = queue.stats().launched();
                // The burst over (quiet for 0.5 s), it blocks on the oldest sync point through a
                // watch: the releaser recorded one for its last batch, or the thread records one.
                until(() -> !gpu.watchStreams().isEmpty());
                // The device completes what reaches it, as a GPU would: the commands the releaser
                // left after its last sync point get theirs from the completion thread only after
                // the uncovered linger's quiet, so one completeAll() here may come before it (a
                // CI run hung on that) and the loop completes it when it comes.
                until(() -> {
                    stream.completeAll();
                    return queue.isCompleted(released);
                });
            } finally {
                stop.set(true);
                stream.completeAll();
                queue.shutdown();
            }
        });
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long launch(QueueCore queue, Kernel k) {
        return queue.submit((seq, at) -> new Command.Launch(seq, at, k, LaunchConfig.of(1, 1), FakeGpu.tag(1)));
    }
}
