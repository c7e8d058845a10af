package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Streams of different priorities, events, elapsed times, and non-blocking queries. */
@Tag("gpu")
class GpuStreamEventTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int SPIN_MILLIS = 200;
    private Device gpu;
    private static HipModule module;
    private static Kernel spin;

    /** Per test, not per class: each test then reports the skip (and its reason) where no GPU exists. */
    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
        if (spin == null) {
            HipModule loaded = gpu.loadModule(gpu.compiler().compile("spin.cu", GpuKernels.SPIN));
            try {
                spin = loaded.function("spin", ParamType.LONG, ParamType.POINTER);
                module = loaded;
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
        }
    }

    @AfterAll
    static void unload() {
        if (module != null) {
            module.close();
        }
    }

    /** Cycles for about {@code millis} at the device's peak clock (a lower clock only makes it longer). */
    private long cycles(int millis) {
        return (long) gpu.attribute(DeviceAttribute.CLOCK_RATE_KHZ) * millis;
    }

    @Test
    void streamsAreCreatedAtEveryPriorityOfTheRangeAndRejectedOutsideIt() {
        PriorityRange range = gpu.streamPriorityRange();
        assertThat(range.greatest()).isLessThanOrEqualTo(range.least());
        if (gpu.platform().name().equals("nvidia")) {
            assertThat(range.hasPriorities()).as("CUDA devices offer stream priorities (H200: 0..-5)").isTrue();
        }
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int priority = range.greatest(); priority <= range.least(); priority++) {
                try (Stream stream = gpu.createStream(priority)) {
                    assertThat(stream.priority()).isEqualTo(priority);
                    assertThat(stream.isIdle()).isTrue();
                }
            }
        });
        assertThatThrownBy(() -> gpu.createStream(range.greatest() - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gpu.createStream(range.least() + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamAdoptedByItsNativeHandleRunsWorkInOrderWithItsOwnerAndCloseLeavesItAlive() {
        PriorityRange range = gpu.streamPriorityRange();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 DeviceBuffer done = gpu.allocate(4);
                 Stream owner = gpu.createStream(range.greatest());
                 Event event = gpu.createEvent(Set.of(EventFlag.DISABLE_TIMING))) {
                MemorySegment handle = owner.nativeHandle();
                assertThat(handle.address()).isNotZero();
                assertThat(event.nativeHandle().address()).isNotZero();
                Stream adopted = gpu.adoptStream(handle);
                assertThat(adopted.isAdopted()).isTrue();
                assertThat(adopted.priority()).as("the driver's priority of the stream").isEqualTo(range.greatest());
                assertThat(adopted.nativeHandle().address()).isEqualTo(handle.address());
                // One native stream: a kernel through the adopted view is ordered before the owner's event.
                owner.memset(done, 0);
                adopted.launch(spin, LaunchConfig.of(1, 1), KernelArgs.builder().i64(cycles(50)).pointer(done).build());
                owner.record(event);
                event.synchronize();
                MemorySegment flag = arena.allocate(JAVA_INT);
                owner.copyAndWait(flag, done);
                assertThat(flag.get(JAVA_INT, 0)).isEqualTo(1);
                adopted.close();
                assertThatThrownBy(adopted::nativeHandle).isInstanceOf(IllegalStateException.class);
                owner.synchronize(); // the native stream outlives the adopted view
                assertThat(owner.isIdle()).isTrue();
            }
        });
        assertThatThrownBy(() -> gpu.adoptStream(MemorySegment.NULL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default stream cannot be adopted");
    }

    @Test
    void queriesSayBusyWhileAKernelRunsAndIdleAfterwards() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 DeviceBuffer done = gpu.allocate(4);
                 Stream stream = gpu.createStream();
                 Event event = gpu.createEvent(Set.of(EventFlag.DISABLE_TIMING, EventFlag.BLOCKING_SYNC))) {
                stream.memset(done, 0);
                long launched = System.nanoTime();
                stream.launch(spin, LaunchConfig.of(1, 1), KernelArgs.builder().i64(cycles(SPIN_MILLIS)).pointer(done).build());
                stream.record(event);
                boolean streamIdle = stream.isIdle();
                boolean eventComplete = event.isComplete();
                long queriedMillis = (System.nanoTime() - launched) / 1_000_000;
                // The kernel cannot have ended before SPIN_MILLIS after its launch; a host that
                // stalled for half of that between launch and queries (a loaded machine) proves
                // nothing either way, so the test is aborted, not passed.
                assumeTrue(queriedMillis < SPIN_MILLIS / 2, "the host took " + queriedMillis + " ms from launch to the queries");
                assertThat(streamIdle).as("stream query right after a %d ms kernel", SPIN_MILLIS).isFalse();
                assertThat(eventComplete).as("event query right after a %d ms kernel", SPIN_MILLIS).isFalse();
                event.synchronize();
                assertThat(event.isComplete()).isTrue();
                assertThat(stream.isIdle()).isTrue();
                MemorySegment flag = arena.allocate(JAVA_INT);
                stream.copyAndWait(flag, done);
                assertThat(flag.get(JAVA_INT, 0)).isEqualTo(1);
                assertThatThrownBy(() -> event.elapsedMillis(event)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("DISABLE_TIMING");
            }
        });
    }

    @Test
    void elapsedTimeBetweenEventsCoversTheKernel() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (DeviceBuffer done = gpu.allocate(4);
                 Stream stream = gpu.createStream();
                 Event start = gpu.createEvent();
                 Event end = gpu.createEvent()) {
                stream.record(start);
                stream.launch(spin, LaunchConfig.of(1, 1), KernelArgs.builder().i64(cycles(50)).pointer(done).build());
                stream.record(end);
                end.synchronize();
                float millis = end.elapsedMillis(start);
                // On NVIDIA clock64 counts SM cycles at or below the peak clock, so the spin lasts at
                // least 50 ms; AMD's counter runs at a device-specific rate, so only order is checked.
                float floor = gpu.platform().name().equals("nvidia") ? 45f : 0f;
                assertThat(millis).isGreaterThan(floor).isLessThan(10_000f);
            }
        });
    }

    @Test
    void aStreamWaitsForAnEventOfAnotherStream() {
        PriorityRange range = gpu.streamPriorityRange();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 DeviceBuffer done = gpu.allocate(4);
                 Stream low = gpu.createStream(range.least());
                 Stream high = gpu.createStream(range.greatest());
                 Event spun = gpu.createEvent(Set.of(EventFlag.DISABLE_TIMING))) {
                low.memset(done, 0);
                low.launch(spin, LaunchConfig.of(1, 1), KernelArgs.builder().i64(cycles(100)).pointer(done).build());
                low.record(spun);
                high.waitFor(spun);
                MemorySegment flag = arena.allocate(JAVA_INT);
                high.copy(flag, done);
                high.synchronize();
                assertThat(flag.get(JAVA_INT, 0)).as("the copy ran after the kernel it waited for").isEqualTo(1);
            }
        });
    }

    @Test
    void anyThreadCanUseTheDevice() {
        // The CUDA context is made current on whichever thread calls: pool threads included.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            assertTimeoutPreemptively(LIMIT, () -> {
                CompletableFuture<?>[] work = new CompletableFuture<?>[8];
                for (int i = 0; i < work.length; i++) {
                    int value = i;
                    work[i] = CompletableFuture.runAsync(() -> {
                        try (Arena arena = Arena.ofConfined();
                             DeviceBuffer buffer = gpu.allocate(4096);
                             Stream stream = gpu.createStream()) {
                            stream.memset(buffer, value);
                            MemorySegment back = arena.allocate(4096);
                            stream.copyAndWait(back, buffer);
                            assertThat(back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4095)).isEqualTo((byte) value);
                        }
                    }, pool);
                }
                CompletableFuture.allOf(work).join();
            });
            assertTimeoutPreemptively(LIMIT, () -> Thread.ofVirtual().start(() -> {
                try (Stream stream = gpu.createStream()) {
                    stream.synchronize();
                }
            }).join());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deviceSynchronizeWaitsForEveryStream() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (DeviceBuffer done = gpu.allocate(4); Stream stream = gpu.createStream()) {
                stream.launch(spin, LaunchConfig.of(1, 1), KernelArgs.builder().i64(cycles(50)).pointer(done).build());
                gpu.synchronize();
                assertThat(stream.isIdle()).isTrue();
            }
        });
    }
}
