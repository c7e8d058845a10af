package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static dev.xsched.hip.sim.SimKit.launch;
import static dev.xsched.hip.sim.SimKit.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the simulator runs streams, kernels and events, observed in virtual time. */
class SimSchedulingTest {
    private static final Duration MS = Duration.ofMillis(1);

    private final KernelRecorder recorder = new KernelRecorder();

    private SimulatedPlatform platform(int computeUnits, boolean hardwarePriority) {
        return SimulatedPlatform.builder().computeUnits(computeUnits).hardwarePriority(hardwarePriority)
                .listener(recorder).build();
    }

    @Test
    void aStreamRunsItsKernelsOneAfterTheOther() {
        SimulatedPlatform sim = platform(8, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream stream = gpu.createStream();
        launch(stream, work, 2, MS, 1);
        launch(stream, work, 2, MS.multipliedBy(3), 2);
        assertThat(stream.isIdle()).isFalse();

        stream.synchronize();

        assertThat(sim.clock().nanoTime()).isEqualTo(ms(4));
        assertThat(recorder.kernels()).extracting(KernelRecord::startNanos, KernelRecord::endNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, ms(1)), org.assertj.core.groups.Tuple.tuple(ms(1), ms(4)));
        assertThat(stream.isIdle()).isTrue();
    }

    @Test
    void kernelsOfTwoStreamsOverlapWhenSlotsAreFree() {
        SimulatedPlatform sim = platform(4, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream a = gpu.createStream();
        Stream b = gpu.createStream();
        launch(a, work, 2, MS.multipliedBy(5), 1);
        launch(b, work, 2, MS.multipliedBy(5), 2);

        assertThat(sim.virtualClock().runUntilIdle()).isEqualTo(ms(5));
        assertThat(recorder.kernels()).allSatisfy(r -> {
            assertThat(r.startNanos()).isZero();
            assertThat(r.endNanos()).isEqualTo(ms(5));
        });
    }

    @Test
    void aKernelWithMoreBlocksThanSlotsRunsInWaves() {
        SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(3).blocksPerComputeUnit(2).listener(recorder).build();
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        launch(stream, SimKit.work(gpu), 13, MS, 1); // 6 slots: waves of 6, 6, 1

        stream.synchronize();

        assertThat(recorder.only("work").runNanos()).isEqualTo(ms(3));
        assertThat(recorder.dispatches()).extracting(BlockDispatch::blocks).containsExactly(6, 6, 1);
    }

    @Test
    void withHardwarePriorityAHighPriorityKernelWaitsAtMostOneLowPriorityBlock() {
        KernelRecord high = highPriorityKernelBehindALongLowPriorityKernel(true);
        assertThat(high.submitNanos()).isEqualTo(ms(0.5));
        assertThat(high.startNanos()).isEqualTo(ms(1)); // the next block boundary
        assertThat(high.waitNanos()).isLessThanOrEqualTo(ms(1));
        KernelRecord low = recorder.only("low");
        assertThat(low.endNanos()).isEqualTo(ms(11)); // 10 waves, one delayed by the high-priority block
    }

    @Test
    void withoutHardwarePriorityAHighPriorityKernelWaitsForTheWholeEarlierKernel() {
        KernelRecord high = highPriorityKernelBehindALongLowPriorityKernel(false);
        assertThat(high.startNanos()).isEqualTo(ms(10));
        assertThat(high.waitNanos()).isEqualTo(ms(9.5));
    }

    /** 4 slots; a low-priority kernel of 40 one-millisecond blocks, then at 0.5 ms a one-block kernel. */
    private KernelRecord highPriorityKernelBehindALongLowPriorityKernel(boolean hardwarePriority) {
        SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(hardwarePriority)
                .listener(recorder).build();
        Device gpu = sim.device(0);
        var module = SimKit.module(gpu);
        Stream lowStream = gpu.createStream(0);
        Stream highStream = gpu.createStream(-5);
        String source = "extern \"C\" __global__ void low(int t) {}\nextern \"C\" __global__ void high(int t) {}";
        var kernels = gpu.loadModule(gpu.compiler().compile("prio.hip", source));
        module.close();
        launch(lowStream, kernels.function("low", dev.xsched.hip.ParamType.INT), 40, MS, 0);
        sim.virtualClock().advanceBy(ms(0.5));
        launch(highStream, kernels.function("high", dev.xsched.hip.ParamType.INT), 1, MS, 1);
        gpu.synchronize();
        assertThat(SimulatedPlatform.streamId(highStream)).isEqualTo(recorder.only("high").streamId());
        assertThat(recorder.only("high").streamPriority()).isEqualTo(-5);
        return recorder.only("high");
    }

    @Test
    void equalPrioritiesShareSlotsInSubmissionOrder() {
        SimulatedPlatform sim = platform(2, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream a = gpu.createStream(-1);
        Stream b = gpu.createStream(-1);
        launch(a, work, 4, MS, 1);
        launch(b, work, 1, MS, 2);

        gpu.synchronize();

        assertThat(recorder.kernels()).extracting(KernelRecord::startNanos).containsExactly(0L, ms(2));
    }

    @Test
    void eventsMeasureTheModelledDuration() {
        SimulatedPlatform sim = platform(2, true);
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        Event start = gpu.createEvent();
        Event end = gpu.createEvent(Set.of(EventFlag.BLOCKING_SYNC));
        sim.virtualClock().advanceBy(ms(7));
        stream.record(start);
        assertThat(start.isComplete()).isTrue();
        launch(stream, SimKit.work(gpu), 6, MS.multipliedBy(2), 1); // three waves of 2 ms
        stream.record(end);
        assertThat(end.isComplete()).isFalse();

        end.synchronize();

        assertThat(end.isComplete()).isTrue();
        assertThat(end.elapsedMillis(start)).isEqualTo(6.0f);
        assertThat(start.elapsedMillis(end)).isEqualTo(-6.0f);
        assertThat(sim.clock().nanoTime()).isEqualTo(ms(13));
    }

    @Test
    void elapsedTimeNeedsRecordedCompleteTimingEvents() {
        SimulatedPlatform sim = platform(1, true);
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        Event never = gpu.createEvent();
        Event pending = gpu.createEvent();
        Event untimed = gpu.createEvent(Set.of(EventFlag.DISABLE_TIMING));
        launch(stream, SimKit.work(gpu), 1, MS, 1);
        stream.record(pending);
        stream.record(untimed);

        assertThatThrownBy(() -> pending.elapsedMillis(never)).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.INVALID_HANDLE)).isTrue());
        assertThatThrownBy(() -> pending.elapsedMillis(pending)).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.NOT_READY)).isTrue());
        assertThatThrownBy(() -> untimed.elapsedMillis(pending)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DISABLE_TIMING");
        assertThatThrownBy(() -> pending.elapsedMillis(untimed)).as("a start without timing: the drivers' answer")
                .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.INVALID_HANDLE)).isTrue())
                .hasMessageContaining("DISABLE_TIMING");
    }

    @Test
    void aStreamWaitsForAnEventOfAnotherStream() {
        SimulatedPlatform sim = platform(8, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream producer = gpu.createStream();
        Stream consumer = gpu.createStream();
        Event produced = gpu.createEvent();
        launch(producer, work, 1, MS.multipliedBy(3), 1);
        producer.record(produced);
        consumer.waitFor(produced);
        launch(consumer, work, 1, MS, 2);
        launch(producer, work, 1, MS.multipliedBy(10), 3); // after the record: not waited for

        consumer.synchronize();

        assertThat(recorder.kernels()).extracting(KernelRecord::startNanos, KernelRecord::endNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, ms(3)), org.assertj.core.groups.Tuple.tuple(ms(3), ms(4)));
        assertThat(producer.isIdle()).isFalse();
        assertThat(sim.clock().nanoTime()).isEqualTo(ms(4));
    }

    @Test
    void waitingForAnEventNeverRecordedDoesNotWait() {
        SimulatedPlatform sim = platform(1, true);
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        Event never = gpu.createEvent();
        assertThat(never.isComplete()).isTrue();
        stream.waitFor(never);
        launch(stream, SimKit.work(gpu), 1, MS, 1);
        never.synchronize();

        stream.synchronize();

        assertThat(recorder.only("work").startNanos()).isZero();
    }

    @Test
    void aReRecordedEventWaitsForItsLatestRecord() {
        SimulatedPlatform sim = platform(4, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream first = gpu.createStream();
        Stream second = gpu.createStream();
        Event event = gpu.createEvent();
        first.record(event); // completes at once
        launch(second, work, 1, MS.multipliedBy(2), 1);
        second.record(event); // now pending until 2 ms
        assertThat(event.isComplete()).isFalse();

        event.synchronize();

        assertThat(sim.clock().nanoTime()).isEqualTo(ms(2));
    }

    @Test
    void deviceSynchronizeWaitsForEveryStreamAndClosingAStreamWaitsForItsWork() {
        SimulatedPlatform sim = platform(4, true);
        Device gpu = sim.device(0);
        Kernel work = SimKit.work(gpu);
        Stream a = gpu.createStream();
        Stream b = gpu.createStream();
        launch(a, work, 1, MS.multipliedBy(2), 1);
        launch(b, work, 1, MS.multipliedBy(5), 2);

        gpu.synchronize();
        assertThat(sim.clock().nanoTime()).isEqualTo(ms(5));

        launch(a, work, 1, MS, 3);
        a.close();
        assertThat(sim.clock().nanoTime()).isEqualTo(ms(6));
        assertThat(a.isOpen()).isFalse();
        assertThatThrownBy(a::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> launch(a, work, 1, MS, 4)).isInstanceOf(IllegalStateException.class);
        a.close(); // idempotent
    }

    @Test
    void commandLatencyDelaysEveryKernelAndCopy() {
        SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).commandLatency(Duration.ofNanos(10_000))
                .listener(recorder).build();
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        launch(stream, SimKit.work(gpu), 1, MS, 1);
        launch(stream, SimKit.work(gpu), 1, MS, 2);
        stream.synchronize();

        assertThat(recorder.kernels()).extracting(KernelRecord::startNanos).containsExactly(10_000L, ms(1) + 20_000L);
        assertThat(recorder.kernels().getFirst().waitNanos()).isEqualTo(10_000L);
    }

    @Test
    void theVirtualClockOnlyMovesForward() {
        SimulatedPlatform sim = platform(1, true);
        VirtualClock clock = sim.virtualClock();
        clock.advanceTo(ms(2));
        clock.advanceBy(5);
        assertThat(clock.nanoTime()).isEqualTo(ms(2) + 5);
        assertThatThrownBy(() -> clock.advanceTo(ms(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("back in time");
        assertThatThrownBy(() -> clock.advanceBy(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.runUntilIdle()).isEqualTo(ms(2) + 5);
    }

    @Test
    void advancingPartWayLeavesWorkRunning() {
        SimulatedPlatform sim = platform(1, true);
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        Event done = gpu.createEvent();
        launch(stream, SimKit.work(gpu), 3, MS, 1);
        stream.record(done);

        sim.virtualClock().advanceBy(ms(2.5));
        assertThat(done.isComplete()).isFalse();
        assertThat(recorder.dispatches()).hasSize(3);
        sim.virtualClock().advanceBy(ms(0.5));
        assertThat(done.isComplete()).isTrue();
        assertThat(stream.isIdle()).isTrue();
    }

    @Test
    void eventsAreCheckedAgainstTheirPlatformDeviceAndLifetime() {
        SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).build();
        SimulatedPlatform other = SimulatedPlatform.builder().build();
        Stream stream = sim.device(0).createStream();
        Event foreign = other.device(0).createEvent();
        Event onDevice1 = sim.device(1).createEvent();
        Event closed = sim.device(0).createEvent();
        closed.close();

        assertThatThrownBy(() -> stream.record(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to this simulated platform");
        assertThatThrownBy(() -> stream.waitFor(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stream.record(onDevice1)).as("as cuEventRecord and hipEventRecord answer")
                .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.INVALID_HANDLE)).isTrue())
                .hasMessageContaining("belongs to device 1");
        assertThatThrownBy(() -> stream.record(closed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(closed::isComplete).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> onDevice1.elapsedMillis(foreign)).isInstanceOf(IllegalArgumentException.class);
        stream.waitFor(onDevice1); // waiting across devices is allowed
        assertThat(stream.isIdle()).isTrue();
    }

    @Test
    void devicesHaveTheirOwnSlotsAndSynchronizeOnlyTheirOwnStreams() {
        SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).computeUnits(2).listener(recorder).build();
        Device first = sim.device(0);
        Device second = sim.device(1);
        Stream a = first.createStream();
        Stream b = second.createStream();
        launch(a, SimKit.work(first), 2, MS, 1);
        launch(b, SimKit.work(second), 2, MS.multipliedBy(4), 2);
        Event done = second.createEvent();
        b.record(done);
        a.waitFor(done);
        launch(a, SimKit.work(first), 1, MS, 3);

        second.synchronize();
        assertThat(sim.clock().nanoTime()).isEqualTo(ms(4));
        assertThat(recorder.kernels()).extracting(KernelRecord::device, KernelRecord::startNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 0L), org.assertj.core.groups.Tuple.tuple(1, 0L));
        first.synchronize();
        assertThat(recorder.kernels().getLast().startNanos()).isEqualTo(ms(4)); // after the other device's event
    }
}
