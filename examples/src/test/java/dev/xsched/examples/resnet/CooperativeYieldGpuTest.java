package dev.xsched.examples.resnet;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cooperative yield end to end on a GPU: yieldable low-priority launches on an XQueue under HPF,
 * preempted over and over by high-priority probes, stop early and are launched again, and still
 * compute exactly what an undisturbed launch computes.
 */
@Tag("gpu")
class CooperativeYieldGpuTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String SOURCE = StepCountingKernel.SOURCE + """
            extern "C" __global__ void probe(long long spin_cycles) {
                long long start = clock64();
                while (clock64() - start < spin_cycles) { }
            }
            """;

    private Device device;
    private XScheduler scheduler;
    private XQueue hp;
    private XQueue lp;

    @BeforeEach
    void queues() {
        device = Gpu.deviceOrSkip();
        scheduler = XScheduler.builder().name("yield-test").policy("hpf").jmx(false).build();
        hp = scheduler.createQueue(device, device.streamPriorityRange().least(), XQueueConfig.defaults("hp"));
        hp.hint(new Hint.Priority(10));
        lp = scheduler.createQueue(device, device.streamPriorityRange().least(), new XQueueConfig("lp", 2, 1));
        lp.hint(new Hint.Priority(-10));
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /**
     * Submits a one-block HP kernel about every millisecond until {@code stop}: each one suspends
     * LP. The probe spins for 0.2 ms, so LP's stop flag stays raised at least that long: an empty
     * probe kept it up for only tens of microseconds, a window that yieldable kernels checking
     * their flag less often (the chunked TF32 loop) could run through without a check in it.
     */
    private Thread probes(Kernel probe, AtomicBoolean stop) {
        return Thread.ofPlatform().name("hp-probes").start(() -> {
            KernelArgs spin = KernelArgs.builder().i64(device.clockRateKHz() / 5L).build(); // 0.2 ms
            while (!stop.get()) {
                hp.launch(probe, LaunchConfig.of(1, 32), spin);
                hp.synchronize();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
    }

    @Test
    void preemptedLaunchesResumeWhereEachBlockStoppedAndRunEveryStepExactlyOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (HipModule module = device.loadModule(device.compiler().compile("yield_test.cu", SOURCE))) {
                Kernel count = StepCountingKernel.in(module);
                Kernel probe = module.function("probe", ParamType.LONG);
                int threads = 256;
                int blocks = 2 * device.computeUnits() * (2048 / threads); // two waves
                int steps = 20;
                int launches = 12;
                try (DeviceBuffer counters = device.allocate(4L * blocks * threads)) {
                    lp.memset(counters, 0);
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread prober = probes(probe, stop);
                    // Each launch: every block 20 steps of 0.25 ms, two waves, about 10 ms.
                    KernelArgs args = KernelArgs.builder().pointer(counters).i32(steps)
                            .i64(device.clockRateKHz() / 4L).build();
                    for (int i = 0; i < launches; i++) {
                        lp.launchYieldable(count, LaunchConfig.of(blocks, threads), args);
                    }
                    lp.synchronize();
                    stop.set(true);
                    prober.join();
                    int[] values = download(counters, blocks * threads);
                    assertThat(values).as("every step of every thread ran exactly once per launch")
                            .containsOnly(launches * steps);
                    assertThat(lp.stats().yielded()).as("HP probes stopped LP launches early").isPositive();
                }
            }
        });
    }

    /**
     * FP32 blocks start over when stopped; TF32 blocks save their accumulators and resume at the
     * slice where they stopped. Either way the result is bit-identical to an undisturbed launch.
     */
    @ParameterizedTest
    @EnumSource(ConvPrecision.class)
    void aPreemptedYieldableConvolutionEqualsAnUndisturbedOne(ConvPrecision precision) {
        assertTimeoutPreemptively(LIMIT, () -> {
            ResNetKernels kernels = ResNetKernels.forDevice(device);
            assumeTrue(kernels.supports(precision), () -> precision.label() + " needs NVIDIA sm_80 or newer");
            ConvShape s = new ConvShape(512, 512, 14, 14, 3, 1, 1); // long blocks: reduction 4608
            int batch = 32;
            var random = new SplittableRandom(7);
            ConvWeights w = ModelWeights.randomConv(s, random);
            float[] input = ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * s.inputElements()));
            float[] residual = ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * s.outputElements()));
            ConvTiling tiling = ConvTiling.LARGE;
            LaunchConfig config = tiling.launchConfig(s, batch);
            try (Stream stream = device.createStream();
                 DeviceBuffer in = Gpu.upload(device, stream, input);
                 DeviceBuffer wt = Gpu.upload(device, stream, w.reductionMajor());
                 DeviceBuffer bias = Gpu.upload(device, stream, w.bias());
                 DeviceBuffer res = Gpu.upload(device, stream, residual);
                 DeviceBuffer expectedOut = Gpu.poisoned(device, stream, batch * s.outputElements());
                 DeviceBuffer out = Gpu.poisoned(device, stream, batch * s.outputElements());
                 HipModule probes = device.loadModule(device.compiler().compile("probe.cu", SOURCE))) {
                stream.launch(kernels.conv(tiling, precision), config, ResNetKernels.unsliced(
                        ResNetKernels.convArgs(in, wt, bias, res, expectedOut, s, batch, true, precision)));
                float[] expected = Gpu.download(stream, expectedOut);

                AtomicBoolean stop = new AtomicBoolean();
                Thread prober = probes(probes.function("probe", ParamType.LONG), stop);
                KernelArgs args = ResNetKernels.convArgs(in, wt, bias, res, out, s, batch, true, precision);
                for (int i = 0; i < 20; i++) { // the same output each time: what matters is the last
                    lp.launchYieldable(kernels.yieldableConv(tiling, precision), config, args);
                }
                lp.synchronize();
                stop.set(true);
                prober.join();
                float[] actual = Gpu.download(stream, out);
                // Arrays.mismatch, not containsExactly: AssertJ's diff of 3 million floats takes minutes.
                assertThat(java.util.Arrays.mismatch(actual, expected))
                        .as("first differing element of a result bit-identical after %d early stops", lp.stats().yielded())
                        .isEqualTo(-1);
                assertThat(lp.stats().yielded()).isPositive();
            }
        });
    }

    private int[] download(DeviceBuffer buffer, int ints) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(4L * ints, 4);
            lp.copy(host, buffer);
            lp.synchronize();
            return host.toArray(JAVA_INT);
        }
    }
}
