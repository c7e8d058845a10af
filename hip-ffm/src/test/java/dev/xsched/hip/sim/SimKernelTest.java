package dev.xsched.hip.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compiling, loading and launching simulated kernels, with Java bodies acting on device memory. */
class SimKernelTest {
    /** c[i] = a[i] + b[i] for i < n: what the source of {@code vadd} says. */
    private static final SimKernelBody VADD = (config, args, memory) -> {
        int n = (int) args.bits(3);
        MemorySegment a = memory.segment(args.bits(0), 4L * n);
        MemorySegment b = memory.segment(args.bits(1), 4L * n);
        MemorySegment c = memory.segment(args.bits(2), 4L * n);
        for (int i = 0; i < n; i++) {
            c.setAtIndex(ValueLayout.JAVA_FLOAT, i, a.getAtIndex(ValueLayout.JAVA_FLOAT, i) + b.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
    };

    /** log[0] counts calls; log[1 + k] is the value of the k-th call. */
    private static final SimKernelBody APPEND = (config, args, memory) -> {
        MemorySegment log = memory.segmentAt(args.bits(0));
        int count = log.getAtIndex(ValueLayout.JAVA_INT, 0);
        log.setAtIndex(ValueLayout.JAVA_INT, 1 + count, (int) args.bits(1));
        log.setAtIndex(ValueLayout.JAVA_INT, 0, count + 1);
    };

    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4)
            .kernelBody("vadd", VADD).kernelBody("append", APPEND).build();
    private final Device gpu = sim.device(0);

    @Test
    void theCompilerFindsExternCGlobalKernelsOutsideComments() {
        String source = """
                // extern "C" __global__ void commentedOut(int x) {}
                /* extern "C" __global__ void alsoCommentedOut(int x) {} */
                extern "C"   __global__ void first (float* x) {}
                extern "C" __global__
                void second(int n) {}
                extern "C" __global__ void __launch_bounds__(256)
                third(int n) {}
                __global__ void notExternC(int n) {}
                """;
        CodeObject code = gpu.compiler().compile("two.hip", source);

        assertThat(code.target()).isEqualTo("sim").isEqualTo(gpu.compiler().defaultTarget()).isEqualTo(gpu.architecture());
        assertThat(new String(code.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("hip-ffm-sim-code-object v1\nprogram two.hip\nkernel first\nkernel second\nkernel third\n");
        try (HipModule module = gpu.loadModule(code)) {
            assertThat(module.function("first", ParamType.POINTER).name()).isEqualTo("first");
            assertThatThrownBy(() -> module.function("notExternC", ParamType.INT))
                    .isInstanceOfSatisfying(HipException.class, e -> {
                        assertThat(e.is(HipError.NOT_FOUND)).isTrue();
                        assertThat(e.call()).contains("hipModuleGetFunction(notExternC)").contains("[first, second, third]");
                    });
        }
    }

    /**
     * The simulated compiler evaluates no preprocessor: a kernel behind an architecture guard (as
     * the TF32 tensor-core convolutions of the examples are) is in the code object like any other,
     * so the simulator can replay a trace of such kernels.
     */
    @Test
    void kernelsBehindAPreprocessorGuardAreFoundTooTheSimulatedArchitectureHasThemAll() {
        String source = """
                #if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
                extern "C" __global__ void __launch_bounds__(256, 2)
                tensorCoreOnly(float* x) {}
                #endif
                extern "C" __global__ void everywhere(float* x) {}
                """;
        CodeObject code = gpu.compiler().compile("guarded.hip", source);

        assertThat(gpu.architecture()).isEqualTo(SimulatedPlatform.ARCHITECTURE);
        try (HipModule module = gpu.loadModule(code)) {
            assertThat(module.function("tensorCoreOnly", ParamType.POINTER).name()).isEqualTo("tensorCoreOnly");
            assertThat(module.function("everywhere", ParamType.POINTER).name()).isEqualTo("everywhere");
        }
    }

    @Test
    void sourceWithoutKernelsFailsToCompileWithALogSayingSo() {
        assertThatThrownBy(() -> gpu.compiler().compile("empty.hip", "__device__ int helper() { return 1; }"))
                .isInstanceOfSatisfying(KernelCompilationException.class, e -> {
                    assertThat(e.log()).contains("empty.hip: no kernel found").contains("extern \"C\" __global__ void NAME");
                    assertThat(e.errorName()).isEqualTo("HIPRTC_ERROR_COMPILATION");
                });
        assertThatThrownBy(() -> gpu.compiler().compile("k.hip", SimKit.SOURCE, List.of("--offload-arch=gfx90a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only for target 'sim'");
        assertThat(gpu.compiler().compile("k.hip", SimKit.SOURCE, List.of("-O3", "--offload-arch=sim")).log())
                .contains("-O3");
    }

    @Test
    void loadingRejectsCodeObjectsOfOtherTargetsAndGarbage() {
        assertThatThrownBy(() -> gpu.loadModule(new CodeObject(new byte[] {1, 2, 3}, "gfx90a", "")))
                .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.NO_BINARY_FOR_GPU)).isTrue());
        assertThatThrownBy(() -> gpu.loadModule(new CodeObject("ELF...".getBytes(StandardCharsets.UTF_8), "sim", "")))
                .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.INVALID_IMAGE)).isTrue());
    }

    @Test
    void aKernelBodySeesItsArgumentsAndDeviceMemory() {
        int n = 1000;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 0.5f * i;
        }
        try (HipModule module = SimKit.module(gpu); Stream stream = gpu.createStream();
             DeviceBuffer da = gpu.allocate(4L * n); DeviceBuffer db = gpu.allocate(4L * n); DeviceBuffer dc = gpu.allocate(4L * n);
             PinnedBuffer hostA = gpu.allocatePinned(4L * n)) {
            Kernel vadd = module.function("vadd", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER, ParamType.INT);
            hostA.segment().copyFrom(MemorySegment.ofArray(a));
            stream.copy(da, hostA.segment());                  // asynchronous, from pinned memory
            stream.copyAndWait(db, MemorySegment.ofArray(b));  // waited, from the heap
            stream.launch(vadd, LaunchConfig.of((n + 255) / 256, 256),
                    KernelArgs.builder().pointer(da).pointer(db).pointer(dc).i32(n).build());
            float[] c = new float[n];
            stream.copyAndWait(MemorySegment.ofArray(c), dc);

            for (int i = 0; i < n; i++) {
                assertThat(c[i]).isEqualTo(1.5f * i);
            }
        }
    }

    @Test
    void bodiesRunExactlyOnceInStreamOrderBeforeLaterCommands() {
        try (HipModule module = SimKit.module(gpu); Stream stream = gpu.createStream(); DeviceBuffer log = gpu.allocate(4 * 21)) {
            Kernel append = module.function("append", ParamType.POINTER, ParamType.INT);
            stream.memset(log, 0);
            for (int value = 0; value < 20; value++) {
                stream.launch(append, LaunchConfig.of(3, 32), KernelArgs.builder().pointer(log).i32(value * 7).build());
            }
            int[] back = new int[21];
            stream.copyAndWait(MemorySegment.ofArray(back), log);

            assertThat(back[0]).isEqualTo(20);
            assertThat(IntStream.of(back).skip(1).boxed().toList())
                    .isEqualTo(IntStream.range(0, 20).map(v -> v * 7).boxed().toList());
        }
    }

    @Test
    void launchesAreCheckedBeforeAnythingIsQueued() {
        SimulatedPlatform other = SimulatedPlatform.builder().build();
        try (HipModule module = SimKit.module(gpu); Stream stream = gpu.createStream(); DeviceBuffer buffer = gpu.allocate(64)) {
            Kernel append = module.function("append", ParamType.POINTER, ParamType.INT);
            KernelArgs good = KernelArgs.builder().pointer(buffer).i32(1).build();

            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 1), KernelArgs.builder().i32(1).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 arguments");
            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 1),
                    KernelArgs.builder().i64(1).i32(1).build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("argument 0 is POINTER");
            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 2048), good))
                    .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.INVALID_CONFIGURATION)).isTrue());
            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 64).withSharedMemory(1 << 20), good))
                    .isInstanceOf(HipException.class).hasMessageContaining("shared memory");
            Kernel foreign = SimKit.module(other.device(0)).function("append", ParamType.POINTER, ParamType.INT);
            assertThatThrownBy(() -> stream.launch(foreign, LaunchConfig.of(1, 1), good))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was not loaded on");
            DeviceBuffer freed = gpu.allocate(8);
            KernelArgs stale = KernelArgs.builder().pointer(freed).i32(1).build();
            freed.close();
            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 1), stale))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed device buffer");
            assertThatThrownBy(() -> SimulatedPlatform.withBlockDuration(append, Duration.ofNanos(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            module.close();
            assertThatThrownBy(() -> stream.launch(append, LaunchConfig.of(1, 1), good))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("module");
            assertThatThrownBy(() -> module.function("append")).isInstanceOf(IllegalStateException.class);
            assertThat(stream.isIdle()).isTrue();
        }
    }

    @Test
    void theCostModelSetsBlockDurationsUnlessTheKernelHandleCarriesOne() {
        KernelRecorder recorder = new KernelRecorder();
        SimulatedPlatform timed = SimulatedPlatform.builder().listener(recorder)
                .costModel(KernelCostModel.perKernel(java.util.Map.of("work", Duration.ofMillis(3)), Duration.ofMillis(1)))
                .build();
        Device device = timed.device(0);
        try (HipModule module = SimKit.module(device); Stream stream = device.createStream()) {
            Kernel work = module.function("work", ParamType.INT);
            Kernel append = module.function("append", ParamType.POINTER, ParamType.INT);
            DeviceBuffer log = device.allocate(64);
            stream.launch(work, LaunchConfig.of(1, 1), KernelArgs.builder().i32(0).build());
            stream.launch(append, LaunchConfig.of(1, 1), KernelArgs.builder().pointer(log).i32(0).build());
            stream.launch(SimulatedPlatform.withBlockDuration(work, Duration.ofMillis(20)), LaunchConfig.of(1, 1),
                    KernelArgs.builder().i32(0).build());
            stream.synchronize();
        }
        assertThat(recorder.kernels()).extracting(KernelRecord::blockNanos).containsExactly(3_000_000L, 1_000_000L, 20_000_000L);
        assertThat(timed.costModel().toString()).contains("per kernel");
    }

    @Test
    void aFaultingHandleFailsEachOfItsLaunchesAtTheCallAndNothingElse() {
        try (HipModule module = SimKit.module(gpu); Stream stream = gpu.createStream(); DeviceBuffer log = gpu.allocate(4 * 3)) {
            Kernel append = module.function("append", ParamType.POINTER, ParamType.INT);
            Kernel faulting = SimulatedPlatform.faulting(append);
            stream.memset(log, 0);
            stream.launch(append, LaunchConfig.of(1, 32), KernelArgs.builder().pointer(log).i32(1).build());
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> stream.launch(faulting, LaunchConfig.of(2, 32), KernelArgs.builder().pointer(log).i32(99).build()))
                        .isInstanceOfSatisfying(HipException.class, e -> {
                            assertThat(e.is(HipError.LAUNCH_FAILURE)).isTrue();
                            assertThat(e.call()).startsWith("hipModuleLaunchKernel(append, grid=")
                                    .endsWith("[" + SimulatedPlatform.INJECTED_FAULT + "]");
                        });
            }
            assertThatThrownBy(() -> stream.launch(faulting, LaunchConfig.of(1, 1), KernelArgs.builder().i32(1).build()))
                    .as("the checks every launch gets come first").isInstanceOf(IllegalArgumentException.class);
            stream.launch(append, LaunchConfig.of(1, 32), KernelArgs.builder().pointer(log).i32(2).build());
            int[] back = new int[3];
            stream.copyAndWait(MemorySegment.ofArray(back), log);

            assertThat(back).as("the faulted launches never ran; the stream and the device go on").containsExactly(2, 1, 2);
            gpu.synchronize();
            assertThat(faulting.toString()).contains("faulting");
        }
    }

    @Test
    void aFailingBodyIsAStickyAsynchronousLaunchFailure() {
        SimulatedPlatform failing = SimulatedPlatform.builder()
                .kernelBody("work", (config, args, memory) -> {
                    throw new ArithmeticException("division by zero in kernel");
                }).build();
        Device device = failing.device(0);
        Stream stream = device.createStream();
        SimKit.launch(stream, SimKit.work(device), 1, Duration.ofMillis(1), 0);
        assertThatThrownBy(stream::synchronize).isInstanceOfSatisfying(HipException.class, e -> {
            assertThat(e.is(HipError.LAUNCH_FAILURE)).isTrue();
            assertThat(e.call()).contains("kernel work on stream").contains("division by zero");
            assertThat(e).rootCause().isInstanceOf(ArithmeticException.class);
        });
        assertThatThrownBy(stream::isIdle).isInstanceOf(HipException.class);
        var event = device.createEvent();
        assertThatThrownBy(() -> stream.record(event)).isInstanceOf(HipException.class);
        // A query reports the sticky failure, as cuEventQuery does; the refused record left the event
        // never recorded (a counted record would make elapsedMillis say "not ready").
        assertThatThrownBy(event::isComplete).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.LAUNCH_FAILURE)).isTrue());
        assertThatThrownBy(() -> event.elapsedMillis(event)).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.INVALID_HANDLE)).as(e.getMessage()).isTrue());
        assertThatThrownBy(() -> SimKit.launch(stream, SimKit.work(device), 1, Duration.ofMillis(1), 0))
                .isInstanceOf(HipException.class);
        assertThatThrownBy(stream::close).as("close waits and reports, as cuStreamSynchronize does")
                .isInstanceOf(HipException.class);
        assertThat(stream.isOpen()).as("closed anyway").isFalse();
    }

    @Test
    void bodiesAndListenersMustNotCallThePlatform() {
        List<Stream> streams = new ArrayList<>();
        SimulatedPlatform reentrant = SimulatedPlatform.builder()
                .kernelBody("work", (config, args, memory) -> streams.getFirst().synchronize()).build();
        Device device = reentrant.device(0);
        streams.add(device.createStream());
        SimKit.launch(streams.getFirst(), SimKit.work(device), 1, Duration.ofMillis(1), 0);
        assertThatThrownBy(device::synchronize).isInstanceOf(HipException.class)
                .rootCause().isInstanceOf(IllegalStateException.class).hasMessageContaining("must not call the simulated platform");
    }

    /**
     * The library enables no peer access, so a kernel given another device's memory would fault
     * (on CUDA, for the whole context): the launch refuses it before any native call, naming the
     * argument and both devices; pinned host memory, mapped for every device, passes.
     */
    @Test
    void aLaunchRefusesDeviceMemoryOfAnotherDevice() {
        SimulatedPlatform two = SimulatedPlatform.builder().devices(2).build();
        Device first = two.device(0);
        Device second = two.device(1);
        try (HipModule module = first.loadModule(first.compiler().compile("takes.hip", """
                extern "C" __global__ void takes(float* a, float* b, float* c, int n) { }
                """));
             Stream stream = first.createStream();
             DeviceBuffer mine = first.allocate(16); DeviceBuffer theirs = second.allocate(16);
             PinnedBuffer pinned = second.allocatePinned(16)) {
            Kernel takes = module.function("takes", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER, ParamType.INT);
            KernelArgs wrong = KernelArgs.builder().pointer(mine).pointer(theirs.slice(4)).pointer(mine).i32(1).build();
            assertThatThrownBy(() -> stream.launch(takes, LaunchConfig.of(1, 1), wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("kernel argument 1 is memory of device 1").hasMessageContaining("the launch is on device 0");
            assertThatThrownBy(() -> wrong.checkPointersUsableOn(first)).isInstanceOf(IllegalArgumentException.class);
            KernelArgs.builder().pointer(theirs).build().checkPointersUsableOn(second);
            KernelArgs right = KernelArgs.builder().pointer(mine).pointer(pinned, 0).pointer(mine).i32(1).build();
            stream.launch(takes, LaunchConfig.of(1, 1), right);
            stream.synchronize();
        } finally {
            two.close();
        }
    }
}
