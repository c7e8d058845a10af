package dev.xsched.examples.blas;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasException;
import dev.xsched.hip.blas.Transpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cuBLAS calls gated by an XQueue, for real: the fake cuBLAS computes each GEMM when the queue
 * releases it, so what the queue holds back has not run and what it releases runs in the queue's
 * order, on the queue's stream. The scheduler is driven by hand (manual mode): no threads, no sleeps.
 */
class BlasOnXQueueFakeCudaTest {
    private static final int N = 4;

    /** Suspends every queue while {@code hold} is set; a hint makes the scheduler ask again. */
    private static final class Gate implements Policy {
        volatile boolean hold;

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public void schedule(SchedulingContext context) {
            for (QueueStatus q : context.queues()) {
                if (hold) {
                    context.suspend(q.id());
                } else {
                    context.resume(q.id());
                }
            }
        }
    }

    private final Gate gate = new Gate();
    private Device gpu;
    private Blas blas;
    private XScheduler scheduler;
    private Arena arena;

    @BeforeEach
    void open() {
        gpu = FakeCuda.platformWithCublas().device(0);
        blas = Blas.open(gpu);
        scheduler = XScheduler.builder().manual(() -> { }).policy(gate).jmx(false).build();
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
            blas.close();
            arena.close();
        }
    }

    /** The gate closes (or opens) and the scheduler, asked again through a hint, acts on it. */
    private void gate(XQueue queue, boolean hold) {
        gate.hold = hold;
        queue.hint(new Hint.Priority(hold ? -1 : 0));
        scheduler.pump();
    }

    private static long gemmCalls() throws Throwable {
        return (long) Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow("fake_cublas_gemm_calls"),
                FunctionDescriptor.of(JAVA_LONG)).invokeExact();
    }

    private MemorySegment host(float... values) {
        MemorySegment segment = arena.allocate(4L * values.length, 16);
        segment.copyFrom(MemorySegment.ofArray(values));
        return segment;
    }

    private static float[] diagonal(float d) {
        float[] m = new float[N * N];
        for (int i = 0; i < N; i++) {
            m[i + i * N] = d;
        }
        return m;
    }

    @Test
    void aGemmIsHeldWhileItsQueueIsSuspendedAndRunsInOrderOnTheQueuesStreamAfterResume() throws Throwable {
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("batch"));
        scheduler.pump();
        gate(queue, true);

        try (DeviceBuffer a = gpu.allocate(4 * N * N); DeviceBuffer b = gpu.allocate(4 * N * N);
             DeviceBuffer c = gpu.allocate(4 * N * N)) {
            MemorySegment result = arena.allocate(4 * N * N, 16);
            long before = gemmCalls();
            // C = A B with A = 2I, then B = 3I copied in *after* a first GEMM on B = 5I: order decides C.
            queue.copy(a, host(diagonal(2)));
            queue.copy(b, host(diagonal(5)));
            blas.sgemm(queue, Transpose.N, Transpose.N, N, N, N, 1f, a, N, b, N, 0f, c, N);
            queue.copy(b, host(diagonal(3)));
            blas.sgemm(queue, Transpose.N, Transpose.N, N, N, N, 1f, a, N, b, N, 1f, c, N); // C += A B
            queue.copy(result, c);
            scheduler.pump();
            assertThat(gemmCalls()).as("suspended: no GEMM released").isEqualTo(before);
            assertThat(queue.stats().buffered()).isEqualTo(6);

            gate(queue, false);
            queue.synchronize();
            assertThat(gemmCalls()).isEqualTo(before + 2);
            float[] out = result.toArray(ValueLayout.JAVA_FLOAT);
            assertThat(out).as("2*5 + 2*3 on the diagonal: the copies and GEMMs ran in submission order")
                    .containsExactly(diagonal(16));
            MemorySegment last = (MemorySegment) Linker.nativeLinker().downcallHandle(
                    SymbolLookup.loaderLookup().findOrThrow("fake_cublas_last_stream"), FunctionDescriptor.of(ADDRESS)).invokeExact();
            assertThat(last.address()).as("on the XQueue's stream").isEqualTo(queue.stream().nativeHandle().address());
        }
        queue.close();
    }

    @Test
    void aLibraryFailureAtReleaseFailsTheQueueWithTheBlasException() throws Throwable {
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("failing"));
        scheduler.pump();
        gate(queue, true);
        try (DeviceBuffer a = gpu.allocate(4 * N * N); DeviceBuffer b = gpu.allocate(4 * N * N);
             DeviceBuffer c = gpu.allocate(4 * N * N)) {
            Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow("fake_cublas_fail_next"),
                    FunctionDescriptor.ofVoid(JAVA_INT)).invokeExact(13);
            long before = gemmCalls();
            blas.sgemm(queue, Transpose.N, Transpose.N, N, N, N, 1f, a, N, b, N, 0f, c, N);
            blas.sgemm(queue, Transpose.N, Transpose.N, N, N, N, 1f, a, N, b, N, 0f, c, N);
            gate(queue, false);
            assertThatThrownBy(queue::synchronize).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("XQueue failing failed")
                    .rootCause().isInstanceOf(BlasException.class)
                    .hasMessageContaining("cublasSgemm(N, N, m=4").hasMessageContaining("CUBLAS_STATUS_EXECUTION_FAILED");
            assertThat(gemmCalls()).as("nothing released after the failed call").isEqualTo(before);
        }
        assertThatThrownBy(queue::close).isInstanceOf(IllegalStateException.class);
    }
}
