package dev.xsched.hip.sim;

import dev.xsched.hip.PinnedBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pinned buffer closed while a downcall on another thread holds its segment (as a copy's enqueue
 * does): the close waits for the call, then frees; it neither throws nor leaves the memory unfreed.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PinnedBufferCloseTest {
    private static final CountDownLatch IN_DOWNCALL = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** qsort's comparator: the first call signals, then blocks until the test releases it. */
    @SuppressWarnings("unused") // called from native code
    private static int blockingCompare(MemorySegment a, MemorySegment b) {
        IN_DOWNCALL.countDown();
        try {
            RELEASE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    @Test
    void closeWaitsForADowncallHoldingTheSegment() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        MethodHandle compare = MethodHandles.lookup().findStatic(PinnedBufferCloseTest.class, "blockingCompare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        MemorySegment comparator = linker.upcallStub(compare, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
                java.lang.foreign.Arena.global());

        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        PinnedBuffer pinned = sim.device(0).allocatePinned(16);
        MemorySegment segment = pinned.segment();
        AtomicReference<Throwable> downcallFailure = new AtomicReference<>();
        Thread sorter = Thread.ofPlatform().start(() -> {
            try {
                qsort.invokeExact(segment, 4L, 4L, comparator);
            } catch (Throwable e) {
                downcallFailure.set(e);
            }
        });
        IN_DOWNCALL.await();

        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                pinned.close();
            } catch (Throwable e) {
                closeFailure.set(e);
            }
        });
        closer.join(200);
        assertThat(closer.isAlive()).as("the close waits for the downcall").isTrue();
        assertThat(closeFailure.get()).isNull();
        assertThat(pinned.isOpen()).isFalse();

        RELEASE.countDown();
        sorter.join();
        closer.join();
        assertThat(downcallFailure.get()).isNull();
        assertThat(closeFailure.get()).isNull();
        assertThat(segment.scope().isAlive()).as("the arena was closed after the call").isFalse();
    }
}
