package dev.xsched.core.internal;

import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch gate: one releaser at a time, and a drain that finds the gate held is neither lost
 * nor waited for. The cross-thread cases are deterministic: the other thread's drain returns
 * without blocking (a join ends it), and the holder is the one that releases afterwards.
 */
class LaunchGateTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    /** Records which threads released, and how many commands each call claims to release. */
    private final List<Thread> releasedOn = new ArrayList<>();
    private final AtomicInteger perRelease = new AtomicInteger(3);
    private final LaunchGate gate = new LaunchGate(() -> {
        releasedOn.add(Thread.currentThread());
        return perRelease.get();
    });

    @Test
    void aDrainReleasesOnceOnTheCallingThread() {
        assertThat(gate.drain()).isEqualTo(3);
        assertThat(releasedOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aDrainAskedForDuringAReleaseMakesTheReleaserLookOnceMore() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<LaunchGate> self = new AtomicReference<>();
        LaunchGate asking = new LaunchGate(() -> {
            if (calls.incrementAndGet() == 1) {
                self.get().request(); // as a completion that opens the window while this thread releases
            }
            return 2;
        });
        self.set(asking);

        assertThat(asking.drain()).as("both passes count").isEqualTo(4);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aDrainFromInsideAReleaseOnTheSameThreadIsLeftToThatReleaseInsteadOfNestingInIt() {
        // As when a release wakes a queue blocked on its record, whose release wakes this queue
        // again on the same thread: the gate's lock is reentrant, but releases must not nest.
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger releasedByInnerDrain = new AtomicInteger(-1);
        AtomicReference<LaunchGate> self = new AtomicReference<>();
        LaunchGate gate = new LaunchGate(() -> {
            deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
            if (calls.incrementAndGet() == 1) {
                releasedByInnerDrain.set(self.get().drain());
            }
            depth.decrementAndGet();
            return 1;
        });
        self.set(gate);

        assertThat(gate.drain()).as("the outer drain did both releases").isEqualTo(2);
        assertThat(releasedByInnerDrain).as("the inner drain released nothing itself").hasValue(0);
        assertThat(calls).as("the inner drain's request was honoured").hasValue(2);
        assertThat(deepest).as("one release at a time, never one inside another").hasValue(1);
    }

    @Test
    void aDrainFromAnotherThreadWhileTheGateIsHeldIsDoneByTheHolderWhenItLetsGo() {
        Watchdog.within(HANG, () -> {
            AtomicInteger releasedByOther = new AtomicInteger(-1);
            long value = gate.whileHeld(() -> {
                Thread other = Thread.ofPlatform().start(() -> releasedByOther.set(gate.drain()));
                join(other); // it must not wait for the gate
                assertThat(releasedOn).as("nothing released while the gate is held").isEmpty();
                return 42;
            });

            assertThat(value).isEqualTo(42);
            assertThat(releasedByOther).as("the other thread left the work to the holder").hasValue(0);
            assertThat(releasedOn).containsExactly(Thread.currentThread());
        });
    }

    @Test
    void holdingTheGateSpinningFirstHandsOverARequestTheSameWay() {
        Watchdog.within(HANG, () -> {
            gate.whileHeldSpinning(() -> join(Thread.ofPlatform().start(gate::drain)));

            assertThat(releasedOn).containsExactly(Thread.currentThread());
        });
    }

    @Test
    void lettingGoWithoutARequestReleasesNothing() {
        gate.whileHeld(() -> 0);
        gate.whileHeldSpinning(() -> { });

        assertThat(releasedOn).isEmpty();
    }

    @Test
    void aRequestAloneIsHonouredByTheNextHolder() {
        gate.request();
        gate.whileHeld(() -> 0);

        assertThat(releasedOn).hasSize(1);
    }

    @Test
    void aSubmitterOnAFreeGateReleasesOnItsOwnThread() {
        assertThat(gate.drainAfterSubmit()).isEqualTo(3);
        assertThat(releasedOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aSubmitterThatFindsTheGateHeldTakesItOverWhenTheHolderLetsGoWithinItsSpin() {
        // The spin is an hour here, so the holder surely lets go within it: then the holder has
        // no request to honour, and the submitter releases on its own thread (on the H200 the
        // completion thread otherwise kept releasing every command a back-to-back submitter sent).
        LaunchGate patient = new LaunchGate(() -> {
            releasedOn.add(Thread.currentThread());
            return 1;
        }, Duration.ofHours(1).toNanos());
        Watchdog.within(HANG, () -> {
            CountDownLatch submitting = new CountDownLatch(1);
            AtomicInteger releasedBySubmitter = new AtomicInteger(-1);
            Thread[] submitter = new Thread[1];
            patient.whileHeld(() -> {
                submitter[0] = Thread.ofPlatform().start(() -> {
                    submitting.countDown();
                    releasedBySubmitter.set(patient.drainAfterSubmit());
                });
                await(submitting);
                return 0;
            });
            join(submitter[0]);

            assertThat(releasedBySubmitter).hasValue(1);
            assertThat(releasedOn).containsExactly(submitter[0]);
        });
    }

    @Test
    void aSubmitterWhoseSpinRunsOutLeavesTheWorkToTheHolder() {
        LaunchGate brief = new LaunchGate(() -> {
            releasedOn.add(Thread.currentThread());
            return 1;
        }, 1_000);
        Watchdog.within(HANG, () -> {
            AtomicInteger releasedBySubmitter = new AtomicInteger(-1);
            brief.whileHeld(() -> {
                join(Thread.ofPlatform().start(() -> releasedBySubmitter.set(brief.drainAfterSubmit())));
                return 0;
            });

            assertThat(releasedBySubmitter).as("it did not wait for the gate").hasValue(0);
            assertThat(releasedOn).as("the holder honoured its request").containsExactly(Thread.currentThread());
        });
    }

    @Test
    void aSubmitFromInsideAReleaseOnTheSameThreadIsLeftToThatRelease() {
        // A host callback that submits to its own queue: the submit's drain must not nest.
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger releasedByInner = new AtomicInteger(-1);
        AtomicReference<LaunchGate> self = new AtomicReference<>();
        LaunchGate gate = new LaunchGate(() -> {
            if (calls.incrementAndGet() == 1) {
                releasedByInner.set(self.get().drainAfterSubmit());
            }
            return 1;
        });
        self.set(gate);

        assertThat(gate.drainAfterSubmit()).isEqualTo(2);
        assertThat(releasedByInner).hasValue(0);
        assertThat(calls).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
