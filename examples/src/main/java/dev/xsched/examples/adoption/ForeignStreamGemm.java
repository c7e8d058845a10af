package dev.xsched.examples.adoption;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Stream;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;
import dev.xsched.hip.blas.Transpose;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code xsched example adopt-stream}: a program whose CUDA stream was made by another binding (here
 * a few driver functions called through FFM, as JCuda, a JNI library or the CUDA runtime would)
 * hands that stream to hip-ffm, schedules it as an XQueue, and runs cuBLAS on it:
 *
 * <pre>{@code
 * Stream adopted = device.adoptStream(foreignStreamHandle);       // not owned: close() ends the view only
 * XQueue queue = scheduler.wrap(adopted, XQueueConfig.defaults("app")).hint(new Hint.Priority(10));
 * blas.sgemm(queue, Transpose.N, Transpose.N, n, n, n, 1f, a, n, b, n, 0f, c, n);   // gated like a kernel
 * }</pre>
 *
 * The stream must be of the device's primary context (the CUDA runtime's, and hip-ffm's): hip-ffm
 * rejects another. The other binding still owns the stream and destroys it after the view is closed.
 * Needs the NVIDIA platform and cuBLAS; elsewhere it says why and exits with 2.
 */
public final class ForeignStreamGemm {
    private ForeignStreamGemm() {
    }

    /** Runs on device 0 of {@code platform}; 2 (after saying why) without the nvidia platform or cuBLAS. */
    public static int run(HipPlatform platform, PrintStream out) {
        if (!platform.name().equals("nvidia")) {
            out.println("xsched example adopt-stream needs the nvidia platform (its other binding makes a CUstream); "
                    + "the chosen platform is " + platform.name());
            return 2;
        }
        BlasAvailability cublas = Blas.probe("nvidia");
        if (!cublas.available()) {
            out.println("xsched example adopt-stream needs cuBLAS: " + cublas.summary());
            return 2;
        }
        Device device = platform.device(0);
        int n = 64;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i % 7) - 3;
            b[i] = (i % 5) - 2;
        }
        OtherBinding other = new OtherBinding();
        MemorySegment foreign = other.createStream(device.index());
        out.println("the other binding created CUstream 0x" + Long.toHexString(foreign.address()));
        float[] c = new float[n * n];
        try (XScheduler scheduler = XScheduler.builder().name("adopt-stream").policy("hpf").build();
             Stream adopted = device.adoptStream(foreign);
             Blas blas = Blas.open(device);
             DeviceBuffer da = device.allocate(4L * n * n);
             DeviceBuffer db = device.allocate(4L * n * n);
             DeviceBuffer dc = device.allocate(4L * n * n)) {
            out.println("adopted as " + adopted + " (priority " + adopted.priority() + " read from the driver)");
            XQueue queue = scheduler.wrap(adopted, XQueueConfig.defaults("adopted")).hint(new Hint.Priority(10));
            // The queue closes first, also on an error: the buffers, the BLAS handles and the
            // adopted stream it uses close after it, and the host memory its copies read after that.
            try (Arena arena = Arena.ofShared(); queue) {
                MemorySegment host = arena.allocate(4L * n * n, 16);
                host.copyFrom(MemorySegment.ofArray(a));
                queue.copy(da, host);
                queue.synchronize();
                host.copyFrom(MemorySegment.ofArray(b));
                queue.copy(db, host);
                blas.sgemm(queue, Transpose.N, Transpose.N, n, n, n, 1f, da, n, db, n, 0f, dc, n);
                queue.copy(host, dc);
                queue.synchronize();
                MemorySegment.copy(host, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, c, 0, n * n);
            }
        } finally {
            other.destroyStream(foreign, device.index());
            out.println("the other binding destroyed its stream");
        }
        float worst = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                float sum = 0;
                for (int l = 0; l < n; l++) {
                    sum += a[i + l * n] * b[l + j * n];
                }
                worst = Math.max(worst, Math.abs(sum - c[i + j * n]));
            }
        }
        out.printf("cuBLAS SGEMM %d^3 on the adopted stream through an XQueue: largest difference from the host %.3g%n", n, worst);
        return worst <= 1e-3f * n ? 0 : 1;
    }

    /**
     * The "other binding": the five CUDA driver functions a library that makes its own streams calls,
     * through FFM, in the primary context of the device (as the CUDA runtime does). libcuda is already
     * loaded in the process by hip-ffm; a binding of its own would open it the same way.
     */
    static final class OtherBinding {
        private static final int CU_STREAM_NON_BLOCKING = 1; // cuda.h
        private final MethodHandle primaryCtxRetain;
        private final MethodHandle primaryCtxRelease;
        private final MethodHandle ctxSetCurrent;
        private final MethodHandle streamCreate;
        private final MethodHandle streamDestroy;

        OtherBinding() {
            Linker linker = Linker.nativeLinker();
            SymbolLookup cuda = SymbolLookup.loaderLookup();
            primaryCtxRetain = linker.downcallHandle(cuda.findOrThrow("cuDevicePrimaryCtxRetain"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            primaryCtxRelease = linker.downcallHandle(cuda.findOrThrow("cuDevicePrimaryCtxRelease_v2"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            ctxSetCurrent = linker.downcallHandle(cuda.findOrThrow("cuCtxSetCurrent"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            streamCreate = linker.downcallHandle(cuda.findOrThrow("cuStreamCreateWithPriority"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
            streamDestroy = linker.downcallHandle(cuda.findOrThrow("cuStreamDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        }

        MemorySegment createStream(int device) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                check((int) primaryCtxRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
                check((int) ctxSetCurrent.invokeExact(out.get(ADDRESS, 0)), "cuCtxSetCurrent");
                check((int) streamCreate.invokeExact(out, CU_STREAM_NON_BLOCKING, 0), "cuStreamCreateWithPriority");
                return out.get(ADDRESS, 0);
            } catch (Throwable t) {
                throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
            }
        }

        /** Destroys the stream, then gives back the retain of the device's primary context that its creation took. */
        void destroyStream(MemorySegment stream, int device) {
            try {
                check((int) streamDestroy.invokeExact(stream), "cuStreamDestroy");
                check((int) primaryCtxRelease.invokeExact(device), "cuDevicePrimaryCtxRelease");
            } catch (Throwable t) {
                throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
            }
        }

        private static void check(int rc, String call) {
            if (rc != 0) {
                throw new IllegalStateException(call + " failed with CUresult " + rc);
            }
        }
    }
}
