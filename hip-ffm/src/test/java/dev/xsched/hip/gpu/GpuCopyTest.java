package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Host to device to device to host copies of random data, whole buffers and slices, odd sizes included. */
@Tag("gpu")
class GpuCopyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private Device gpu;

    /** Per test, not per class: each test then reports the skip (and its reason) where no GPU exists. */
    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
    }

    private static MemorySegment random(Arena arena, long bytes, long seed) {
        MemorySegment segment = arena.allocate(bytes, 16);
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < bytes; i++) {
            segment.set(JAVA_BYTE, i, (byte) random.nextInt(256));
        }
        return segment;
    }

    /** The first differing byte, or -1: a readable failure instead of a megabyte-long dump. */
    private static long mismatch(MemorySegment expected, MemorySegment actual) {
        return expected.mismatch(actual);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {1, 3, 4, 4097, (1 << 20) + 7})
    void hostToDeviceToDeviceToHostRoundTripsRandomBytes(long bytes) {
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 DeviceBuffer first = gpu.allocate(bytes);
                 DeviceBuffer second = gpu.allocate(bytes);
                 Stream stream = gpu.createStream()) {
                MemorySegment source = random(arena, bytes, seed);
                MemorySegment back = arena.allocate(bytes, 16);
                back.fill((byte) 0x5A);
                stream.memset(second, 0xFF);
                stream.copy(first, source);
                stream.copy(second, first);
                stream.copy(back, second);
                stream.synchronize();
                assertThat(mismatch(source, back)).as("first differing byte, seed %d", seed).isEqualTo(-1);
            }
        });
    }

    @Test
    void pinnedBuffersCopyAsynchronouslyAndHeapSegmentsThroughCopyAndWait() {
        long bytes = (1 << 20) + 7;
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 PinnedBuffer pinnedIn = gpu.allocatePinned(bytes);
                 PinnedBuffer pinnedOut = gpu.allocatePinned(bytes);
                 DeviceBuffer device = gpu.allocate(bytes);
                 Stream stream = gpu.createStream()) {
                pinnedIn.segment().copyFrom(random(arena, bytes, seed));
                stream.copy(device, pinnedIn.segment());
                stream.copy(pinnedOut.segment(), device);
                stream.synchronize();
                assertThat(mismatch(pinnedIn.segment(), pinnedOut.segment())).as("seed %d", seed).isEqualTo(-1);

                byte[] heap = new byte[(int) bytes];
                stream.copyAndWait(MemorySegment.ofArray(heap), device);
                assertThat(mismatch(pinnedIn.segment(), MemorySegment.ofArray(heap))).as("seed %d", seed).isEqualTo(-1);
            }
        });
    }

    @Test
    void slicesAddressPartsOfABufferAndLeaveTheRestUntouched() {
        int bytes = 10_000;
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Arena arena = Arena.ofConfined();
                 DeviceBuffer buffer = gpu.allocate(bytes);
                 Stream stream = gpu.createStream()) {
                MemorySegment data = random(arena, 4097, seed);
                stream.memset(buffer, 0);
                DeviceMemory middle = buffer.slice(1001, 4097);
                stream.copy(middle, data);
                // Device to device between two slices of the same buffer (no overlap).
                stream.copy(buffer.slice(6000, 3000), middle.slice(1, 3000));
                MemorySegment all = arena.allocate(bytes);
                stream.copy(all, buffer);
                stream.synchronize();

                assertThat(all.asSlice(0, 1001).mismatch(arena.allocate(1001))).isEqualTo(-1);
                assertThat(all.asSlice(1001, 4097).mismatch(data)).as("seed %d", seed).isEqualTo(-1);
                assertThat(all.asSlice(6000, 3000).mismatch(data.asSlice(1, 3000))).as("seed %d", seed).isEqualTo(-1);
                assertThat(all.asSlice(9000, 1000).mismatch(arena.allocate(1000))).isEqualTo(-1);
            }
        });
    }

    @Test
    void wrongSizesAndOutOfRangeSlicesAreRejectedBeforeAnyNativeCall() {
        try (Arena arena = Arena.ofConfined();
             DeviceBuffer buffer = gpu.allocate(4096);
             Stream stream = gpu.createStream()) {
            assertThatThrownBy(() -> stream.copy(buffer, arena.allocate(4095)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size mismatch");
            assertThatThrownBy(() -> buffer.slice(4000, 97)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> stream.copy(buffer, MemorySegment.ofArray(new byte[4096])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap segment");
            assertThatThrownBy(() -> stream.memset(buffer, 256)).isInstanceOf(IllegalArgumentException.class);
            stream.synchronize();
        }
    }

    @Test
    void aClosedBufferOrPinnedBufferCannotBeUsed() {
        try (Arena arena = Arena.ofConfined(); Stream stream = gpu.createStream()) {
            DeviceBuffer buffer = gpu.allocate(64);
            PinnedBuffer pinned = gpu.allocatePinned(64);
            buffer.close();
            pinned.close();
            assertThatThrownBy(() -> stream.copy(buffer, arena.allocate(64)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(pinned::segment).isInstanceOf(IllegalStateException.class);
            buffer.close(); // a second close does nothing
        }
    }
}
