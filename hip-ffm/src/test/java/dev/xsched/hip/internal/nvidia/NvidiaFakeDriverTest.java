package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.xsched.hip.ParamType.FLOAT;
import static dev.xsched.hip.ParamType.INT;
import static dev.xsched.hip.ParamType.LONG;
import static dev.xsched.hip.ParamType.POINTER;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NVIDIA platform's Java code against a fake CUDA driver and NVRTC ({@code src/test/c/fake_cuda.c},
 * built by gcc before the tests; see hip-ffm's pom, execution {@code fake-cuda}), on machines with
 * no NVIDIA GPU. The fake checks what the real driver would reject: a missing current context on
 * the calling thread, wrong flags, bad handles. Runs in a JVM of its own, which points
 * {@code xsched.cuda.library} and {@code xsched.nvrtc.library} at the fake.
 */
class NvidiaFakeDriverTest {
    private static HipPlatform nvidia;
    private static Device gpu;

    @BeforeAll
    static void fakeDriver() {
        String library = System.getProperty(NvidiaLibraries.CUDA_PROPERTY, "");
        assumeTrue(library.contains("fake-cuda"), "runs in surefire's fake-cuda execution, which points "
                + NvidiaLibraries.CUDA_PROPERTY + " at the fake driver");
        Availability probe = Hip.probe("nvidia");
        assumeTrue(probe.available(), () -> "the fake CUDA driver could not be used (is gcc installed?): " + probe.describe());
        nvidia = Hip.open("nvidia");
        gpu = nvidia.device(0);
    }

    private static long setCurrentCalls() throws Throwable {
        MethodHandle calls = Linker.nativeLinker().downcallHandle(
                SymbolLookup.loaderLookup().findOrThrow("fake_cuda_set_current_calls"), FunctionDescriptor.of(JAVA_LONG));
        return (long) calls.invokeExact();
    }

    private static long liveStreams() throws Throwable {
        MethodHandle live = Linker.nativeLinker().downcallHandle(
                SymbolLookup.loaderLookup().findOrThrow("fake_cuda_live_streams"), FunctionDescriptor.of(JAVA_LONG));
        return (long) live.invokeExact();
    }

    /** What another binding does: its own downcall to the driver, outside hip-ffm. */
    private static MethodHandle driverFunction(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow(name), descriptor);
    }

    private static MemorySegment foreignStream(int priority) throws Throwable {
        gpu.synchronize(); // makes the primary context current on this thread, as the other binding would have
        MethodHandle create = driverFunction("cuStreamCreateWithPriority", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            assertThat((int) create.invokeExact(out, 1, priority)).isZero();
            return out.get(ADDRESS, 0);
        }
    }

    private static void destroyForeignStream(MemorySegment stream) throws Throwable {
        MethodHandle destroy = driverFunction("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        assertThat((int) destroy.invokeExact(stream)).isZero();
    }

    @Test
    void aStreamOfAnotherBindingIsAdoptedWithItsPriorityAndStaysAliveAfterClose() throws Throwable {
        MemorySegment foreign = foreignStream(-3);
        long live = liveStreams();
        Stream adopted = gpu.adoptStream(foreign);
        assertThat(adopted.isAdopted()).isTrue();
        assertThat(adopted.priority()).as("read from cuStreamGetPriority").isEqualTo(-3);
        assertThat(adopted.nativeHandle().address()).isEqualTo(foreign.address());
        assertThat(adopted.device()).isSameAs(gpu);
        assertThat(adopted.toString()).contains("adopted");

        // Work on the adopted stream runs like work on an owned one.
        try (var buffer = gpu.allocate(16); Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(16);
            host.fill((byte) 7);
            adopted.copy(buffer, host);
            MemorySegment back = arena.allocate(16);
            adopted.copy(back, buffer);
            adopted.synchronize();
            assertThat(back.mismatch(host)).isEqualTo(-1);
        }

        adopted.close();
        assertThat(liveStreams()).as("closing an adopted stream does not destroy it").isEqualTo(live);
        assertThatThrownBy(adopted::nativeHandle).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(adopted::synchronize).isInstanceOf(IllegalStateException.class);
        destroyForeignStream(foreign);
        assertThat(liveStreams()).isEqualTo(live - 1);
    }

    @Test
    void anOwnedStreamHandsOutItsHandleAndDestroysItOnClose() throws Throwable {
        long live = liveStreams();
        Stream owned = gpu.createStream(-2);
        assertThat(owned.isAdopted()).isFalse();
        MemorySegment handle = owned.nativeHandle();
        assertThat(handle.address()).isNotZero();
        assertThat(handle.byteSize()).isZero();
        assertThat(liveStreams()).isEqualTo(live + 1);

        // The handle is the driver's stream: another view of it reads the same priority.
        Stream view = gpu.adoptStream(handle);
        assertThat(view.priority()).isEqualTo(-2);
        view.close();
        assertThat(owned.isOpen()).isTrue();
        owned.synchronize();

        owned.close();
        assertThat(liveStreams()).isEqualTo(live);
        assertThatThrownBy(owned::nativeHandle).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void defaultStreamsAndStreamsOfAnotherContextAreNotAdoptable() throws Throwable {
        assertThatThrownBy(() -> gpu.adoptStream(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null").hasMessageContaining("default stream cannot be adopted");
        assertThatThrownBy(() -> gpu.adoptStream(MemorySegment.NULL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NULL, the default stream").hasMessageContaining("synchronizes implicitly");
        assertThatThrownBy(() -> gpu.adoptStream(MemorySegment.ofAddress(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CU_STREAM_LEGACY");
        assertThatThrownBy(() -> gpu.adoptStream(MemorySegment.ofAddress(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CU_STREAM_PER_THREAD");

        MethodHandle other = driverFunction("fake_cuda_other_context_stream", FunctionDescriptor.of(ADDRESS));
        MemorySegment stream = (MemorySegment) other.invokeExact();
        assertThatThrownBy(() -> gpu.adoptStream(stream)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to CUDA context 0xc0ffee").hasMessageContaining("primary context of device 0");
    }

    @Test
    void eventsHandOutTheirNativeHandleWhileOpen() {
        Event event = gpu.createEvent();
        assertThat(event.nativeHandle().address()).isNotZero();
        event.close();
        assertThatThrownBy(event::nativeHandle).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDriverIsFoundWhereTheSystemPropertyPointsAndReportsItsDevice() {
        Availability probe = Hip.probe("nvidia");
        assertThat(probe.hasDevices()).isTrue();
        assertThat(probe.summary()).contains("CUDA driver 13.0").contains("1 device(s)").contains("NVRTC: ");
        assertThat(probe.attempts()).anyMatch(a -> a.contains("(-D" + NvidiaLibraries.CUDA_PROPERTY + "): loaded "));
        assertThat(nvidia.driverVersion()).isEqualTo("CUDA driver 13.0");
        assertThat(nvidia.isSimulated()).isFalse();
        assertThat(gpu.name()).isEqualTo("Fake CUDA Device");
        assertThat(gpu.architecture()).isEqualTo("sm_90");
        assertThat(gpu.computeUnits()).isEqualTo(132);
        assertThat(gpu.warpSize()).isEqualTo(32);
        assertThat(gpu.clockRateKHz()).isEqualTo(1_980_000);
        assertThat(gpu.attribute(DeviceAttribute.L2_CACHE_BYTES)).isEqualTo(50 << 20);
        assertThat(gpu.totalMemory()).isEqualTo(150L << 30);
        // cuDeviceGetUuid_v2's 16 bytes, in order, as the UUID's big-endian halves (the fake writes f0..ff).
        assertThat(gpu.uuid()).isEqualTo(java.util.UUID.fromString("f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff"));
        assertThat(gpu.streamPriorityRange()).isEqualTo(new PriorityRange(0, -5));
    }

    @Test
    void theContextIsMadeCurrentOncePerPlatformThreadAndBeforeEveryCallOnAVirtualOne() throws Throwable {
        try (Stream stream = gpu.createStream(-5)) {
            long before = setCurrentCalls();
            for (int i = 0; i < 1000; i++) {
                assertThat(stream.isIdle()).isTrue();
            }
            assertThat(setCurrentCalls()).as("no cuCtxSetCurrent on the launch path of a thread that has it").isEqualTo(before);

            Thread platformThread = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    stream.synchronize();
                }
            });
            platformThread.join();
            assertThat(setCurrentCalls()).as("one cuCtxSetCurrent for a new thread").isEqualTo(before + 1);

            long beforeVirtual = setCurrentCalls();
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10; i++) {
                    stream.synchronize();
                }
            }).join();
            assertThat(setCurrentCalls()).as("a virtual thread may change carriers: set before every call")
                    .isEqualTo(beforeVirtual + 10);
        }
    }

    @Test
    void nvrtcCompilesACubinForTheDeviceAndPtxForAVirtualArchitecture() {
        String source = "extern \"C\" __global__ void vector_add(const float* a, const float* b, float* out, int n) { }\n";
        CodeObject cubin = gpu.compiler().compile("vector_add.cu", source);
        assertThat(cubin.target()).isEqualTo("sm_90");
        assertThat(new String(cubin.bytes(), StandardCharsets.UTF_8)).startsWith("FAKE sm_90\n").endsWith("}\n");

        CodeObject ptx = gpu.compiler().compile("vector_add.cu", source, List.of("--gpu-architecture=compute_90"));
        assertThat(ptx.target()).isEqualTo("compute_90");
        assertThat(ptx.bytes()[ptx.size() - 1]).as("no NUL kept at the end of the PTX").isNotZero();
        try (HipModule module = gpu.loadModule(ptx)) {
            assertThat(module.function("vector_add", POINTER, POINTER, POINTER, INT).name()).isEqualTo("vector_add");
        }
        assertThat(gpu.compiler().version()).startsWith("NVRTC 13.0 (").contains("fake-cuda");
        assertThat(gpu.compiler().defaultTarget()).isEqualTo("sm_90");
    }

    @Test
    void nvrtcFailuresCarryTheFullLogAndNvrtcsNames() {
        assertThatThrownBy(() -> gpu.compiler().compile("broken.cu", "void broken() { undeclared_variable; }"))
                .isInstanceOfSatisfying(KernelCompilationException.class, e -> {
                    assertThat(e.code()).isEqualTo(6);
                    assertThat(e.errorName()).isEqualTo("NVRTC_ERROR_COMPILATION");
                    assertThat(e.call()).isEqualTo("nvrtcCompileProgram(broken.cu, [--gpu-architecture=sm_90])");
                    assertThat(e.log()).contains("identifier \"undeclared_variable\" is undefined");
                });
        assertThatThrownBy(() -> gpu.compiler().compile("x.cu", "", List.of("--offload-arch=gfx90a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hiprtc (AMD) option");
        assertThatThrownBy(() -> gpu.compiler().compile("x.cu", "", List.of("-arch=sm_35")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot compile for 'sm_35'");
    }

    @Test
    void driverErrorsBecomeHipErrorsWithTheCudaNameAndTheCall() {
        CodeObject code = gpu.compiler().compile("k.cu", "extern \"C\" __global__ void empty_kernel() { }\n");
        try (HipModule module = gpu.loadModule(code)) {
            assertThatThrownBy(() -> module.function("no_such_kernel"))
                    .isInstanceOfSatisfying(HipException.class, e -> {
                        assertThat(e.is(HipError.NOT_FOUND)).isTrue();
                        assertThat(e.errorName()).isEqualTo("hipErrorNotFound");
                        assertThat(e.errorMessage()).isEqualTo("named symbol not found (CUDA_ERROR_NOT_FOUND)");
                        assertThat(e.call()).isEqualTo("cuModuleGetFunction(no_such_kernel)");
                    });
        }
        assertThatThrownBy(() -> gpu.loadModule(new CodeObject("not an image".getBytes(StandardCharsets.UTF_8), "sm_90", "")))
                .isInstanceOfSatisfying(HipException.class, e -> {
                    assertThat(e.is(HipError.INVALID_IMAGE)).isTrue();
                    assertThat(e.errorMessage()).contains("CUresult 200").doesNotContain("unusable");
                });
    }

    private static final String VECTOR_ADD =
            "extern \"C\" __global__ void vector_add(const float* a, const float* b, float* out, int n) { }\n";

    @Test
    void aLookupRefusesADeclarationUnlikeTheCompiledParametersNamingBoth() {
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("vector_add.cu", VECTOR_ADD))) {
            assertThat(module.function("vector_add", POINTER, POINTER, POINTER, INT).signature())
                    .containsExactly(POINTER, POINTER, POINTER, INT);
            // Fewer: the driver would read a fourth argument pointer past the array.
            assertThatThrownBy(() -> module.function("vector_add", POINTER, POINTER, POINTER))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("kernel vector_add is declared with 3 parameters [POINTER, POINTER, POINTER]")
                    .hasMessageContaining("compiled with 4 (sizes [8, 8, 8, 4] bytes)");
            // More: a launch would pass an argument the kernel never reads (and its checks would hold
            // launches to the wrong count).
            assertThatThrownBy(() -> module.function("vector_add", POINTER, POINTER, POINTER, INT, INT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("compiled with 4 (sizes [8, 8, 8, 4] bytes)");
            // A smaller type: the driver would copy 8 bytes from a 4-byte argument.
            assertThatThrownBy(() -> module.function("vector_add", POINTER, POINTER, INT, INT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(sizes [8, 8, 4, 4] bytes), but was compiled with 4 (sizes [8, 8, 8, 4] bytes)");
            // Sizes are what the driver knows: a float where the int is has the same layout and passes.
            assertThat(module.function("vector_add", POINTER, POINTER, POINTER, FLOAT).name()).isEqualTo("vector_add");
        }
        String noParameters = "extern \"C\" __global__ void empty_kernel() { }\n";
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("empty.cu", noParameters))) {
            assertThat(module.function("empty_kernel").signature()).isEmpty();
            assertThatThrownBy(() -> module.function("empty_kernel", LONG))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("declared with 1 parameter [LONG]").hasMessageContaining("compiled with 0 (sizes [] bytes)");
        }
        // Parameters smaller than any type are declared INT; a wider type is still refused.
        String small = "extern \"C\" __global__ void block_sum(const float* in, bool flag, short n) { }\n";
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("small.cu", small))) {
            assertThat(module.function("block_sum", POINTER, INT, INT).name()).isEqualTo("block_sum");
            assertThatThrownBy(() -> module.function("block_sum", POINTER, LONG, INT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(sizes [8, 1, 2] bytes)");
            assertThatThrownBy(() -> module.function("block_sum", POINTER, FLOAT, INT))
                    .as("only INT stands for a smaller parameter").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLookupWhoseParameterQueryFailsReportsTheDriversErrorAndTheCall() throws Throwable {
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("vector_add.cu", VECTOR_ADD))) {
            failNext("cuFuncGetParamInfo", 201 /* CUDA_ERROR_INVALID_CONTEXT */);
            assertThatThrownBy(() -> module.function("vector_add", POINTER, POINTER, POINTER, INT))
                    .isInstanceOfSatisfying(HipException.class, e -> {
                        assertThat(e.errorName()).isEqualTo("hipErrorInvalidContext");
                        assertThat(e.errorMessage()).contains("CUDA_ERROR_INVALID_CONTEXT");
                        assertThat(e.call()).isEqualTo("cuFuncGetParamInfo(vector_add, 0)");
                    });
            assertThat(module.function("vector_add", POINTER, POINTER, POINTER, INT).name())
                    .as("the failure was that call's only").isEqualTo("vector_add");
        }
    }

    @Test
    void aMemoryWaitReachesTheDriverAsCuStreamWaitValue32WithTheWordsAddressAndValue() throws Throwable {
        try (Stream stream = gpu.createStream(); dev.xsched.hip.DeviceBuffer word = gpu.allocate(8)) {
            assertThat(stream.supportsMemoryWait()).isTrue();
            stream.memset(word, 0);
            long before = unsatisfiedWaits();
            stream.waitUntilEquals(word, 0);
            assertThat(unsatisfiedWaits()).as("the word at its address holds 0").isEqualTo(before);
            // The fake cannot hold a stream: it lets the wait pass and counts it.
            stream.waitUntilEquals(word.slice(4, 4), 5);
            assertThat(unsatisfiedWaits()).as("the second word holds 0, not 5").isEqualTo(before + 1);
            assertThatThrownBy(() -> stream.waitUntilEquals(word.slice(2, 4), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aligned");
        }
    }

    private static long unsatisfiedWaits() throws Throwable {
        MethodHandle count = Linker.nativeLinker().downcallHandle(
                SymbolLookup.loaderLookup().findOrThrow("fake_cuda_unsatisfied_waits"), FunctionDescriptor.of(JAVA_LONG));
        return (long) count.invokeExact();
    }

    private static final FunctionDescriptor LONG_OF_POINTER = FunctionDescriptor.of(JAVA_LONG, ADDRESS);

    private static long liveRegistrations() throws Throwable {
        return (long) driverFunction("fake_cuda_live_registrations", FunctionDescriptor.of(JAVA_LONG)).invokeExact();
    }

    /** The flags the fake recorded for the registration starting at {@code memory}, -1 if none does. */
    private static int registrationFlags(MemorySegment memory) throws Throwable {
        return (int) driverFunction("fake_cuda_registration_flags", FunctionDescriptor.of(JAVA_INT, ADDRESS))
                .invokeExact(MemorySegment.ofAddress(memory.address()));
    }

    private static long registrationBytes(MemorySegment memory) throws Throwable {
        return (long) driverFunction("fake_cuda_registration_bytes", LONG_OF_POINTER)
                .invokeExact(MemorySegment.ofAddress(memory.address()));
    }

    /** Makes the fake's next call of {@code function} return {@code error}, changing nothing. */
    private static void failNext(String function, int error) throws Throwable {
        MethodHandle failNext = driverFunction("fake_cuda_fail_next", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            failNext.invokeExact(arena.allocateFrom(function), error);
        }
    }

    @Test
    void hostMemoryIsRegisteredPortableAndDeviceMappedAndUnregisteredOnceOnClose() throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(64, 64);
            long live = liveRegistrations();
            assertThat(gpu.supportsHostRegistration()).isTrue();
            RegisteredHostMemory registered = gpu.registerHostMemory(memory);
            assertThat(registrationFlags(memory)).as("CU_MEMHOSTREGISTER_PORTABLE | CU_MEMHOSTREGISTER_DEVICEMAP").isEqualTo(3);
            assertThat(registrationBytes(memory)).isEqualTo(64);
            assertThat(liveRegistrations()).isEqualTo(live + 1);
            assertThat(registered.device()).isSameAs(gpu);
            assertThat(registered.segment()).isSameAs(memory);
            assertThat(registered.byteSize()).isEqualTo(64);
            assertThat(registered.deviceAddress()).as("cuMemHostGetDevicePointer: the host address, as unified addressing has it")
                    .isEqualTo(memory.address());

            registered.close();
            assertThat(liveRegistrations()).isEqualTo(live);
            assertThat(registrationFlags(memory)).isEqualTo(-1);
            registered.close(); // a second cuMemHostUnregister would fail with CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED
            assertThat(registered.isOpen()).isFalse();
            assertThatThrownBy(registered::segment).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(registered::deviceAddress).isInstanceOf(IllegalStateException.class);

            assertThatThrownBy(() -> gpu.registerHostMemory(MemorySegment.ofArray(new byte[64])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap segment");
            assertThatThrownBy(() -> gpu.registerHostMemory(memory.asSlice(1, 8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4-byte aligned");
            assertThat(liveRegistrations()).as("refused before any driver call").isEqualTo(live);
        }
    }

    @Test
    void aWaitOnRegisteredHostMemoryReachesTheDriverAsCuStreamWaitValue32Geq() throws Throwable {
        try (Arena arena = Arena.ofShared(); Stream stream = gpu.createStream()) {
            MemorySegment words = arena.allocate(16, 16);
            words.set(JAVA_INT, 8, 5);
            words.set(JAVA_INT, 12, Integer.MIN_VALUE);
            try (RegisteredHostMemory registered = gpu.registerHostMemory(words)) {
                long before = unsatisfiedWaits();
                stream.waitUntilAtLeast(registered, 8, 5);
                stream.waitUntilAtLeast(registered, 8, 4);
                assertThat(unsatisfiedWaits()).as("5 has reached 5 and 4: the fake read the word at the registered address")
                        .isEqualTo(before);
                stream.waitUntilAtLeast(registered, 8, 6);
                assertThat(unsatisfiedWaits()).as("5 has not reached 6").isEqualTo(before + 1);
                stream.waitUntilAtLeast(registered, 12, Integer.MAX_VALUE);
                assertThat(unsatisfiedWaits()).as("MIN_VALUE is one past MAX_VALUE in wrap-around order").isEqualTo(before + 1);

                assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 16, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("outside");
                assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 6, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("4-byte aligned");

                failNext("cuStreamWaitValue32_v2", 1 /* CUDA_ERROR_INVALID_VALUE */);
                assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 0, 7)).isInstanceOfSatisfying(HipException.class, e -> {
                    assertThat(e.is(HipError.INVALID_VALUE)).isTrue();
                    assertThat(e.call()).isEqualTo("cuStreamWaitValue32(value=7, GEQ)");
                });
                stream.synchronize();
            }
        }
    }

    @Test
    void aRefusedRegistrationIsAHipErrorAndALateFailureUnregistersWhatWasRegistered() throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(64, 64);
            long live = liveRegistrations();
            try (RegisteredHostMemory registered = gpu.registerHostMemory(memory)) {
                assertThatThrownBy(() -> gpu.registerHostMemory(memory.asSlice(32, 32)))
                        .isInstanceOfSatisfying(HipException.class, e -> {
                            assertThat(e.code()).isEqualTo(712);
                            assertThat(e.is(HipError.HOST_MEMORY_ALREADY_REGISTERED)).isTrue();
                            assertThat(e.errorName()).isEqualTo("hipErrorHostMemoryAlreadyRegistered");
                            assertThat(e.errorMessage()).isEqualTo("part or all of the requested memory range is already "
                                    + "mapped (CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED)");
                            assertThat(e.call()).isEqualTo("cuMemHostRegister(bytes=32, PORTABLE|DEVICEMAP)");
                        });
                assertThat(registered.isOpen()).isTrue();
            }
            assertThat(liveRegistrations()).isEqualTo(live);

            // The device pointer refused after the registration succeeded: nothing stays registered.
            failNext("cuMemHostGetDevicePointer_v2", 1 /* CUDA_ERROR_INVALID_VALUE */);
            assertThatThrownBy(() -> gpu.registerHostMemory(memory)).isInstanceOfSatisfying(HipException.class, e -> {
                assertThat(e.is(HipError.INVALID_VALUE)).isTrue();
                assertThat(e.call()).isEqualTo("cuMemHostGetDevicePointer(registered, bytes=64)");
                assertThat(e.getSuppressed()).isEmpty();
            });
            assertThat(liveRegistrations()).isEqualTo(live);

            // A failed unregistration is thrown once; the registration counts as closed.
            RegisteredHostMemory registered = gpu.registerHostMemory(memory);
            failNext("cuMemHostUnregister", 713 /* CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED */);
            assertThatThrownBy(registered::close).isInstanceOfSatisfying(HipException.class, e -> {
                assertThat(e.is(HipError.HOST_MEMORY_NOT_REGISTERED)).isTrue();
                assertThat(e.call()).isEqualTo("cuMemHostUnregister(bytes=64)");
            });
            assertThat(registered.isOpen()).isFalse();
            registered.close();
            // The injected failure left the fake's registration in place: end it as hip-ffm would have.
            MethodHandle unregister = driverFunction("cuMemHostUnregister", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            assertThat((int) unregister.invokeExact(MemorySegment.ofAddress(memory.address()))).isZero();
            assertThat(liveRegistrations()).isEqualTo(live);
        }
    }

    @Test
    void pinnedMemoryIsAllocatedDeviceMappedAndKernelsGetItsDeviceAddress() {
        // The fake driver accepts only PORTABLE|DEVICEMAP and maps at the host address, as unified addressing does.
        PinnedBuffer pinned = gpu.allocatePinned(64);
        assertThat(pinned.deviceAddress()).isEqualTo(pinned.segment().address());
        KernelArgs args = KernelArgs.builder().pointer(pinned, 8).build();
        assertThat(args.bits(0)).isEqualTo(pinned.deviceAddress() + 8);
        assertThatThrownBy(() -> KernelArgs.builder().pointer(pinned, 64)).isInstanceOf(IndexOutOfBoundsException.class);
        pinned.close();
        assertThatThrownBy(pinned::deviceAddress).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(args::checkPointersOpen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed pinned buffer");
    }

    @Test
    void eventsTimeWhatWasRecordedUnlessTimingIsDisabled() {
        try (Stream stream = gpu.createStream();
             Event start = gpu.createEvent();
             Event end = gpu.createEvent(Set.of(EventFlag.BLOCKING_SYNC));
             Event untimed = gpu.createEvent(Set.of(EventFlag.DISABLE_TIMING))) {
            stream.record(start);
            stream.record(end);
            stream.record(untimed);
            stream.waitFor(untimed);
            end.synchronize();
            assertThat(end.isComplete()).isTrue();
            assertThat(end.elapsedMillis(start)).isGreaterThanOrEqualTo(0f);
            assertThatThrownBy(() -> untimed.elapsedMillis(start)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> stream.record(new Event() {
                public boolean isComplete() { return true; }
                public void synchronize() { }
                public float elapsedMillis(Event s) { return 0; }
                public void close() { }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong to the NVIDIA platform");
        }
    }

    /**
     * A stream holds itself open while work enqueues itself with its handle (a library's call, as
     * Blas's): a close on another thread destroys the stream only once the work has returned.
     */
    @Test
    void aCloseWaitsForWorkThatIsEnqueueingItselfOnTheStream() throws Exception {
        Stream stream = gpu.createStream();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(() -> stream.enqueue(s -> {
            inside.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(stream::close);
        Thread.sleep(100);
        assertThat(closed).as("the close waits for the work").isNotDone();
        letGo.countDown();
        closed.get(10, TimeUnit.SECONDS);
        worker.join(10_000);
        assertThatThrownBy(() -> stream.enqueue(s -> { })).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A copy holds the buffer it names open: a close on another thread frees it only after the
     * driver has the copy. The fake's copy is a memcpy into the malloc'd "device" memory (64 MiB,
     * mapped and unmapped by the C library), so a free under it would crash the JVM here; each
     * copy either completes or is refused as closed.
     */
    @Test
    void aBufferClosedWhileCopiesIntoItAreUnderWayIsFreedOnlyAfterTheCopyInTheDriver() throws Exception {
        long bytes = 64L << 20;
        try (Stream stream = gpu.createStream(); Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(bytes);
            for (int round = 0; round < 5; round++) {
                var buffer = gpu.allocate(bytes);
                CountDownLatch copying = new CountDownLatch(1);
                CompletableFuture<Integer> copies = CompletableFuture.supplyAsync(() -> {
                    int done = 0;
                    try {
                        while (true) {
                            copying.countDown();
                            stream.copy(buffer, host);
                            done++;
                        }
                    } catch (IllegalStateException e) {
                        assertThat(e).hasMessageContaining("closed");
                        return done;
                    }
                });
                assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(2);
                buffer.close();
                assertThat(copies.get(30, TimeUnit.SECONDS)).isNotNegative();
            }
        }
    }

    /** A DeviceBuffer of another making could name any address, and cannot be held open: refused. */
    @Test
    void aDeviceBufferTheLibraryDidNotAllocateIsRefusedByCopies() {
        try (Stream stream = gpu.createStream(); var real = gpu.allocate(16); Arena arena = Arena.ofConfined()) {
            DeviceBuffer forged = new DeviceBuffer() {
                public Device device() { return gpu; }
                public long address() { return real.address(); }
                public long byteSize() { return 16; }
                public DeviceBuffer buffer() { return this; }
                public boolean isOpen() { return true; }
                public void close() { }
            };
            MemorySegment host = arena.allocate(16);
            assertThatThrownBy(() -> stream.copy(forged, host)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not memory of a buffer this library allocated");
            assertThatThrownBy(() -> stream.memset(forged, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stream.copy(real, forged)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
