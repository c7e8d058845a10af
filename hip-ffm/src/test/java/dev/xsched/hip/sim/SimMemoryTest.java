package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Device memory, pinned memory, copies and memsets of the simulated platform. */
class SimMemoryTest {
    private final SimulatedPlatform sim = SimulatedPlatform.builder().build();
    private final Device gpu = sim.device(0);
    private final Random random = new Random(42);

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void copiesRoundTripRandomBytesOfOddSizes() {
        try (Stream stream = gpu.createStream(); Arena arena = Arena.ofConfined()) {
            for (int size : new int[] {1, 3, 255, 257, 4099, 65_537, 1_000_003}) {
                byte[] data = randomBytes(size);
                try (DeviceBuffer first = gpu.allocate(size); DeviceBuffer second = gpu.allocate(size);
                     PinnedBuffer pinned = gpu.allocatePinned(size)) {
                    pinned.segment().copyFrom(MemorySegment.ofArray(data));
                    MemorySegment back = arena.allocate(size);
                    stream.copy(first, pinned.segment());   // host to device
                    stream.copy(second, first);             // device to device
                    stream.copy(back, second);              // device to host
                    stream.synchronize();
                    assertThat(back.toArray(ValueLayout.JAVA_BYTE)).as("%d bytes", size).isEqualTo(data);

                    byte[] viaHeap = new byte[size];
                    stream.copyAndWait(MemorySegment.ofArray(viaHeap), first);
                    assertThat(viaHeap).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void slicesAddressPartsOfABuffer() {
        byte[] data = randomBytes(1001);
        try (Stream stream = gpu.createStream(); DeviceBuffer buffer = gpu.allocate(3000)) {
            DeviceMemory middle = buffer.slice(1100, 1001);
            assertThat(middle.address()).isEqualTo(buffer.address() + 1100);
            assertThat(middle.buffer()).isSameAs(buffer);
            stream.copyAndWait(middle, MemorySegment.ofArray(data));               // [1100, 2101) = data
            stream.copy(buffer.slice(0, 1001), middle);                            // [0, 1001) = data
            stream.copy(buffer.slice(1600, 1001), buffer.slice(1101, 1001));       // overlapping: memmove
            stream.synchronize();

            MemorySegment all = sim.memory().segment(buffer);
            assertThat(all.asSlice(0, 1001).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
            // [1101, 2102) was data[1..1001) followed by the never-written byte 2101.
            byte[] moved = new byte[1001];
            System.arraycopy(data, 1, moved, 0, 1000);
            assertThat(all.asSlice(1600, 1001).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(moved);
            assertThatThrownBy(() -> buffer.slice(2000, 1001)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void memsetSetsEveryByteOfItsRange() {
        try (Stream stream = gpu.createStream(); DeviceBuffer buffer = gpu.allocate(777)) {
            stream.memset(buffer, 0xAB);
            stream.memset(buffer.slice(100, 33), 0);
            byte[] back = new byte[777];
            stream.copyAndWait(MemorySegment.ofArray(back), buffer);
            for (int i = 0; i < back.length; i++) {
                assertThat(back[i]).as("byte %d", i).isEqualTo(i >= 100 && i < 133 ? (byte) 0 : (byte) 0xAB);
            }
            assertThatThrownBy(() -> stream.memset(buffer, 256)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0..255");
        }
    }

    @Test
    void copiesTakeLatencyPlusBytesOverBandwidth() {
        SimulatedPlatform slow = SimulatedPlatform.builder().copyBandwidth(1e9).commandLatency(Duration.ofNanos(5_000)).build();
        Device device = slow.device(0);
        try (Stream stream = device.createStream(); DeviceBuffer buffer = device.allocate(1_000_000);
             PinnedBuffer host = device.allocatePinned(1_000_000)) {
            stream.copy(buffer, host.segment());
            stream.memset(buffer, 1);
            assertThat(stream.isIdle()).isFalse();
            stream.synchronize();
            assertThat(slow.clock().nanoTime()).isEqualTo(2 * (1_000_000 + 5_000));
        }
    }

    @Test
    void addressesAreUniqueAlignedAndFarFromHostPointers() {
        try (DeviceBuffer a = gpu.allocate(1); DeviceBuffer b = gpu.allocate(300); DeviceBuffer c = gpu.allocate(5)) {
            assertThat(a.address()).isGreaterThanOrEqualTo(0x7f00_0000_0000L);
            assertThat(java.util.List.of(a.address(), b.address(), c.address()))
                    .allSatisfy(address -> assertThat(address % 256).isZero()).doesNotHaveDuplicates();
            assertThat(c.address()).isGreaterThanOrEqualTo(b.address() + 300);
        }
    }

    @Test
    void hugeBuffersUsedOnlyForTimingCostNoHostMemory() {
        try (Stream stream = gpu.createStream(); DeviceBuffer huge = gpu.allocate(64L << 30)) {
            long tail = huge.byteSize() - 16;
            stream.memset(huge, 0); // zero is what unwritten memory reads as: nothing allocated
            byte[] back = new byte[16];
            stream.copyAndWait(MemorySegment.ofArray(back), huge.slice(tail, 16));
            assertThat(back).containsOnly(0);
            assertThat(sim.clock().nanoTime()).isGreaterThan((long) ((64L << 30) / 25e9 * 1e9)); // the memset's time
        }
    }

    @Test
    void allocationsBeyondFreeMemoryFailWithOutOfMemory() {
        SimulatedPlatform small = SimulatedPlatform.builder().memoryBytes(1 << 20).build();
        Device device = small.device(0);
        DeviceBuffer most = device.allocate(1 << 19);
        assertThatThrownBy(() -> device.allocate((1 << 19) + 1)).isInstanceOfSatisfying(HipException.class, e -> {
            assertThat(e.is(HipError.OUT_OF_MEMORY)).isTrue();
            assertThat(e.call()).contains("hipMalloc(bytes=524289)").contains("524288 of 1048576 bytes free");
        });
        most.close();
        device.allocate(1 << 20).close(); // freed memory is available again
        assertThatThrownBy(() -> device.allocate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesCheckTheirArgumentsBeforeQueueingAnything() {
        SimulatedPlatform other = SimulatedPlatform.builder().build();
        try (Stream stream = gpu.createStream(); DeviceBuffer buffer = gpu.allocate(64);
             DeviceBuffer foreign = other.device(0).allocate(64); PinnedBuffer pinned = gpu.allocatePinned(32)) {
            assertThatThrownBy(() -> stream.copy(buffer, pinned.segment())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("size mismatch");
            assertThatThrownBy(() -> stream.copy(buffer, MemorySegment.ofArray(new byte[64])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap segment");
            assertThatThrownBy(() -> stream.copy(buffer, foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("belongs to platform");
            DeviceBuffer closed = gpu.allocate(64);
            closed.close();
            assertThatThrownBy(() -> stream.copy(closed, buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> closed.slice(0, 1)).isInstanceOf(IllegalStateException.class);
            MemorySegment pinnedSegment = pinned.segment();
            pinned.close();
            assertThatThrownBy(pinned::segment).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> stream.copy(buffer.slice(0, 32), pinnedSegment))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer alive");
            assertThat(stream.isIdle()).isTrue();
        }
    }

    /** A DeviceMemory of the caller's own whose range lies outside the buffer it names. */
    private record LyingRange(DeviceBuffer buffer, long address, long byteSize) implements DeviceMemory {
        @Override
        public boolean isOpen() {
            return buffer.isOpen();
        }
    }

    @Test
    void aRangeOutsideItsBufferIsRefusedBeforeAnyCopy() {
        try (Stream stream = gpu.createStream(); DeviceBuffer buffer = gpu.allocate(64);
             DeviceBuffer neighbour = gpu.allocate(64); Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(64);
            long base = buffer.address();
            for (DeviceMemory lying : new DeviceMemory[] {
                    new LyingRange(buffer, neighbour.address(), 64),   // another buffer's memory
                    new LyingRange(buffer, base + 32, 64),              // runs past the end
                    new LyingRange(buffer, base - 8, 8),                // starts before it
                    new LyingRange(buffer, base + 8, Long.MAX_VALUE),   // a size that overflows the end
                    new LyingRange(buffer, base, -1)}) {
                assertThatThrownBy(() -> stream.copy(lying, host)) // the range is checked before the sizes
                        .as("%s", lying).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its buffer");
                assertThatThrownBy(() -> stream.memset(lying, 0)).as("%s", lying)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its buffer");
            }
            stream.memset(new LyingRange(buffer, base + 32, 32), 7); // an honest range of the caller's own is fine
            stream.copy(host.asSlice(0, 32), buffer.slice(32, 32));
            stream.synchronize();
            assertThat(host.get(ValueLayout.JAVA_BYTE, 31)).isEqualTo((byte) 7);
        }
    }

    @Test
    void memoryFreedBeforeAQueuedCopyRunsIsAnAsynchronousIllegalAddress() {
        Stream stream = gpu.createStream();
        try (PinnedBuffer host = gpu.allocatePinned(1 << 20)) {
            DeviceBuffer buffer = gpu.allocate(1 << 20);
            stream.copy(buffer, host.segment());
            buffer.close(); // too early: the copy has not run
            assertThatThrownBy(stream::synchronize).isInstanceOfSatisfying(HipException.class, e -> {
                assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue();
                assertThat(e.call()).contains("host to device").contains("asynchronous");
                assertThat(e.call()).contains("freed device buffer");
                assertThat(e).rootCause().hasMessageContaining("freed device buffer");
            });
            // Sticky, as on a GPU: the device keeps reporting it.
            assertThatThrownBy(gpu::synchronize).isInstanceOf(HipException.class);
            try (DeviceBuffer fresh = gpu.allocate(8)) {
                assertThatThrownBy(() -> stream.memset(fresh, 0)).isInstanceOf(HipException.class);
            }
        }
        // Closing waits, as cuStreamSynchronize does, and reports the failure too; the stream is closed anyway.
        assertThatThrownBy(stream::close).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue());
        assertThat(stream.isOpen()).isFalse();
        stream.close(); // only the first call does anything
    }

    @Test
    void simMemoryResolvesAddressesInsideLiveBuffersOnly() {
        DeviceBuffer buffer = gpu.allocate(100);
        sim.memory().segment(buffer).set(ValueLayout.JAVA_INT, 96, 7);
        assertThat(sim.memory().segmentAt(buffer.address() + 96).get(ValueLayout.JAVA_INT, 0)).isEqualTo(7);
        assertThat(sim.memory().segmentAt(buffer.address() + 10).byteSize()).isEqualTo(90);
        assertThatThrownBy(() -> sim.memory().segment(buffer.address() + 50, 51))
                .isInstanceOfSatisfying(HipException.class, e -> assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue());
        assertThatThrownBy(() -> sim.memory().segmentAt(0x1000)).isInstanceOf(HipException.class);
        MemorySegment view = sim.memory().segment(buffer);
        buffer.close();
        assertThatThrownBy(() -> view.get(ValueLayout.JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.memory().segmentAt(buffer.address())).isInstanceOf(HipException.class);
    }

    @Test
    void pinnedMemoryIsNativeAndDiesWithItsBuffer() {
        PinnedBuffer pinned = gpu.allocatePinned(4097);
        MemorySegment segment = pinned.segment();
        assertThat(segment.isNative()).isTrue();
        assertThat(pinned.byteSize()).isEqualTo(4097);
        segment.set(ValueLayout.JAVA_BYTE, 4096, (byte) 9);
        pinned.close();
        pinned.close();
        assertThat(pinned.isOpen()).isFalse();
        assertThatThrownBy(() -> segment.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> gpu.allocatePinned(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
