package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Yieldable launches through an XQueue on the scripted GPU, driven by hand. The fake stream
 * models a yieldable launch as checking its queue's stop flag when it completes: flag up, it
 * stops early and writes its record.
 */
class CooperativeYieldTest {
    private static final LaunchConfig GRID = LaunchConfig.of(100, 64);
    private final FakeGpu gpu = new FakeGpu();
    private final Kernel yieldable = gpu.yieldableKernel("y");
    private final Kernel plain = gpu.kernel("k");
    private final HoldPolicy policy = new HoldPolicy("", false);
    private XScheduler scheduler;

    private XQueue queue(Policy policy, XQueueConfig config) {
        scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).policy(policy).jmx(false).build();
        XQueue q = scheduler.createQueue(gpu, config);
        scheduler.pump();
        return q;
    }

    private void hold(XQueue q, boolean hold) {
        policy.hold = hold;
        q.hint(new Hint.Priority(hold ? -1 : 0)); // makes the policy look again
        scheduler.pump();
    }

    /** What reached the stream, without sync points and without the waits for flag writes. */
    private static List<String> work(FakeStream stream) {
        return stream.launches().stream().filter(c -> !c.startsWith("wait ")).toList();
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            gpu.streams().forEach(FakeStream::completeAll);
            scheduler.close();
        }
    }

    @Test
    void withoutASuspendAYieldableLaunchRunsOnceWithFreshState() {
        XQueue q = queue(new PassThroughPolicy(), new XQueueConfig("q", 4, 1));
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        q.synchronize();
        FakeStream stream = (FakeStream) q.stream();
        assertThat(work(stream)).containsExactly("memset", "launch y#1");
        assertThat(stream.yielded()).isEmpty();
        assertThat(q.stats().yielded()).isZero();
        assertThat(q.stats().completed()).isEqualTo(1);
    }

    @Test
    void aYieldableLaunchOnAClosedQueueMakesNoYieldMemory() {
        XQueue q = queue(new PassThroughPolicy(), new XQueueConfig("q", 4, 1));
        q.close();
        int streams = gpu.streams().size();
        // Made now (its stream, flag and records), after the close freed what the queue had, the
        // memory would never be freed.
        assertThatThrownBy(() -> q.launchYieldable(yieldable, GRID, FakeGpu.tag(1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("XQueue q is closed");
        assertThat(gpu.streams()).hasSize(streams);
    }

    @Test
    void aSuspendStopsTheLaunchesInFlightAndResumeLaunchesThemAgainInOrderBeforeAnythingElse() {
        XQueue q = queue(policy, new XQueueConfig("q", 4, 1));
        FakeStream stream = (FakeStream) q.stream();
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(2));
        q.launch(plain, LaunchConfig.of(1, 1), FakeGpu.tag(3));
        assertThat(work(stream)).as("the plain launch waits behind the yieldable ones")
                .containsExactly("memset", "launch y#1", "memset", "launch y#2");

        hold(q, true); // the policy suspends: the stop flag goes up
        FakeStream flagStream = gpu.streams().stream().filter(s -> s != stream).findFirst().orElseThrow();
        List<String> flagWrites = flagStream.log();
        assertThat(flagWrites).as("0 written and recorded at creation, then the raise: a copy with no record after it")
                .hasSize(3).satisfies(w -> {
                    assertThat(w.get(0)).isEqualTo("copy h2d");
                    assertThat(w.get(1)).startsWith("record ");
                    assertThat(w.get(2)).isEqualTo("copy h2d");
                });
        String flagWritten = flagWrites.get(1).substring("record ".length());
        stream.completeAll(); // both see it and stop early
        scheduler.pump();
        assertThat(stream.yielded()).containsExactly("launch y#1", "launch y#2");
        assertThat(q.stats()).satisfies(s -> {
            assertThat(s.yielded()).isEqualTo(2);
            assertThat(s.completed()).isZero();
            assertThat(s.inFlight()).isZero();
            assertThat(s.buffered()).as("both went back to the buffer, ahead of the plain launch").isEqualTo(3);
        });
        assertThat(q.isIdle()).isFalse();

        hold(q, false); // resumed: the flag comes down, the stopped launches go out again, state kept
        assertThat(work(stream)).as("each relaunch zeroes its launch's stop latch first")
                .containsExactly("memset", "launch y#1", "memset", "launch y#2", "memset", "launch y#1", "memset", "launch y#2");
        List<String> raw = stream.launches();
        assertThat(flagStream.log()).as("the lowering: a copy, then the record that the relaunch waits for")
                .containsSubsequence("copy h2d", "record " + flagWritten).hasSize(5);
        assertThat(raw.get(raw.lastIndexOf("launch y#1") - 2)).as("the relaunch waits for the lowered flag's write")
                .isEqualTo("wait " + flagWritten);
        stream.completeAll();
        scheduler.pump();
        assertThat(stream.yielded()).as("the flag is down: the relaunches finish").hasSize(2);
        q.synchronize();
        assertThat(work(stream)).containsExactly("memset", "launch y#1", "memset", "launch y#2",
                "memset", "launch y#1", "memset", "launch y#2", "launch k#3");
        assertThat(q.stats().completed()).isEqualTo(3);
    }

    @Test
    void aLaunchThatFinishedBeforeTheSuspendIsNotLaunchedAgain() {
        XQueue q = queue(policy, new XQueueConfig("q", 4, 1));
        FakeStream stream = (FakeStream) q.stream();
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(2));
        stream.completeNext(3); // memset, y#1 and its sync point
        scheduler.pump();
        hold(q, true);
        stream.completeAll();
        scheduler.pump();
        assertThat(stream.yielded()).containsExactly("launch y#2");
        assertThat(q.stats().completed()).isEqualTo(1);
        hold(q, false);
        q.synchronize();
        assertThat(work(stream)).containsExactly("memset", "launch y#1", "memset", "launch y#2", "memset", "launch y#2");
        assertThat(q.stats().yielded()).isEqualTo(1);
    }

    @Test
    void aResumeBeforeTheStoppedLaunchesDrainedWaitsForThemBeforeReleasingAnything() {
        XQueue q = queue(policy, new XQueueConfig("q", 4, 1));
        FakeStream stream = (FakeStream) q.stream();
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        hold(q, true);
        hold(q, false); // resumed while y#1 is still in flight with the flag up
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(2));
        assertThat(work(stream)).as("nothing is released while the flag is up")
                .containsExactly("memset", "launch y#1");
        stream.completeAll(); // y#1 stops early
        scheduler.pump();
        assertThat(work(stream)).containsExactly("memset", "launch y#1", "memset", "launch y#1", "memset", "launch y#2");
        q.synchronize();
        assertThat(stream.yielded()).containsExactly("launch y#1");
    }

    @Test
    void aPlainCommandWaitsForTheYieldableLaunchBeforeItOnlyWhenCooperativeYieldIsOn() {
        XQueue on = queue(new PassThroughPolicy(), new XQueueConfig("on", 4, 1));
        on.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        on.launch(plain, LaunchConfig.of(1, 1), FakeGpu.tag(2));
        FakeStream onStream = (FakeStream) on.stream();
        assertThat(work(onStream)).containsExactly("memset", "launch y#1");
        on.synchronize();
        assertThat(work(onStream)).containsExactly("memset", "launch y#1", "launch k#2");

        XQueue off = scheduler.createQueue(gpu, new XQueueConfig("off", 4, 1).withCooperativeYield(false));
        scheduler.pump();
        off.launchYieldable(yieldable, GRID, FakeGpu.tag(3));
        off.launch(plain, LaunchConfig.of(1, 1), FakeGpu.tag(4));
        assertThat(work(((FakeStream) off.stream()))).as("unmanaged: null control pointers, no state, no wait")
                .containsExactly("launch y#3", "launch k#4");
    }

    @Test
    void closingWithDropDropsLaunchesThatStoppedEarly() {
        XQueue q = queue(policy, new XQueueConfig("q", 4, 1));
        FakeStream stream = (FakeStream) q.stream();
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(1));
        q.launchYieldable(yieldable, GRID, FakeGpu.tag(2));
        hold(q, true);
        q.close(CloseMode.DROP);
        assertThat(stream.yielded()).containsExactly("launch y#1", "launch y#2");
        assertThat(q.stats().dropped()).isEqualTo(2);
        assertThat(work(stream)).hasSize(4);
    }

    @Test
    void invalidYieldableLaunchesAreRejectedBeforeAnythingIsBuffered() {
        XQueue q = queue(new PassThroughPolicy(), XQueueConfig.defaults("q"));
        assertThatThrownBy(() -> q.launchYieldable(plain, GRID, FakeGpu.tag(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not yieldable");
        assertThatThrownBy(() -> q.launchYieldable(yieldable, GRID, KernelArgs.builder().i32(1).i32(2).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before XSCHED_YIELD_PARAMS");
        assertThatThrownBy(() -> q.launchYieldable(yieldable, GRID, KernelArgs.builder().f32(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 0");
        assertThat(q.stats().submitted()).isZero();
        assertThat(((FakeStream) q.stream()).log()).isEmpty();
    }

    @Test
    void onAPlainStreamTheKernelRunsToTheEndWithNullControlPointers() {
        FakeStream stream = (FakeStream) gpu.createStream();
        gpu.autoComplete(true);
        stream.launchYieldable(yieldable, GRID, FakeGpu.tag(5));
        assertThat(work(stream)).containsExactly("launch y#5");
        assertThat(stream.yielded()).isEmpty();
    }
}
