package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.HipPlatform;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Argument checks shared by every platform's copies (the public face of the composite ones, for
 * queues outside hip-ffm, is {@link dev.xsched.hip.CommandChecks}): they run before any native call, so a wrong
 * size, a heap segment in an asynchronous copy, a closed buffer or a buffer of another platform
 * is an exception with a message, never a fault.
 */
public final class CopyChecks {
    private CopyChecks() {
    }

    /** Everything a host-to-device copy of {@code src} into {@code dst} on {@code platform} needs. */
    public static void hostToDevice(DeviceMemory dst, MemorySegment src, HipPlatform platform) {
        checkDevice(dst, platform, "destination");
        checkHost(src, "source");
        checkSizes(dst.byteSize(), src.byteSize());
    }

    /** Everything a device-to-host copy of {@code src} into {@code dst} on {@code platform} needs. */
    public static void deviceToHost(MemorySegment dst, DeviceMemory src, HipPlatform platform) {
        checkDevice(src, platform, "source");
        checkHost(dst, "destination");
        checkSizes(dst.byteSize(), src.byteSize());
    }

    /** Everything a device-to-device copy on {@code platform} needs. */
    public static void deviceToDevice(DeviceMemory dst, DeviceMemory src, HipPlatform platform) {
        checkDevice(dst, platform, "destination");
        checkDevice(src, platform, "source");
        checkSizes(dst.byteSize(), src.byteSize());
    }

    /** Everything a memset of {@code dst} to {@code value} on {@code platform} needs. */
    public static void memset(DeviceMemory dst, int value, HipPlatform platform) {
        checkDevice(dst, platform, "destination");
        checkByte(value);
    }

    /**
     * Everything a stream of {@code device} needs to wait for the word at the start of {@code word}:
     * open, of that device, at least 4 bytes, 4-byte aligned (the drivers' stream memory waits read
     * one aligned 32-bit word).
     */
    public static void memoryWait(DeviceMemory word, dev.xsched.hip.Device device) {
        checkDevice(word, device.platform(), "word");
        if (word.buffer().device() != device) {
            throw new IllegalArgumentException("word is memory of device " + word.buffer().device().index()
                    + ", the stream is on device " + device.index());
        }
        if (word.byteSize() < Integer.BYTES) {
            throw new IllegalArgumentException("word must be at least 4 bytes, got " + word.byteSize());
        }
        if (word.address() % Integer.BYTES != 0) {
            throw new IllegalArgumentException("word must be 4-byte aligned, got address 0x" + Long.toHexString(word.address()));
        }
    }

    public static void checkDevice(DeviceMemory memory, HipPlatform platform, String role) {
        Objects.requireNonNull(memory, role);
        if (!memory.isOpen()) {
            throw new IllegalStateException(role + " device buffer is closed: " + memory);
        }
        DeviceBuffer buffer = memory.buffer();
        HipPlatform owner = buffer.device().platform();
        if (owner != platform) {
            throw new IllegalArgumentException(role + " device buffer belongs to platform '" + owner.name()
                    + "', not to '" + platform.name() + "'");
        }
        checkInside(memory, buffer, role);
    }

    /**
     * DeviceMemory is an open interface: a range that is not a slice this library made could name
     * any device address, and the copy or memset would write there. Compared without overflow, and
     * unsigned, as device addresses are.
     */
    private static void checkInside(DeviceMemory memory, DeviceBuffer buffer, String role) {
        long address = memory.address();
        long byteSize = memory.byteSize();
        long offset = address - buffer.address();
        boolean inside = Long.compareUnsigned(address, buffer.address()) >= 0
                && Long.compareUnsigned(offset, buffer.byteSize()) <= 0
                && byteSize >= 0 && byteSize <= buffer.byteSize() - offset;
        if (!inside) {
            throw new IllegalArgumentException(role + " range [0x" + Long.toHexString(address) + ", +" + byteSize
                    + ") lies outside its buffer " + buffer);
        }
    }

    public static void checkHost(MemorySegment segment, String role) {
        Objects.requireNonNull(segment, role);
        if (!segment.isNative()) {
            throw new IllegalArgumentException(role + " host memory is a heap segment; asynchronous copies need native "
                    + "memory (a PinnedBuffer's segment or Arena.allocate), or use copyAndWait");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException(role + " host memory segment is no longer alive");
        }
        if (segment.isReadOnly() && role.equals("destination")) {
            throw new IllegalArgumentException("destination host memory segment is read-only");
        }
    }

    public static void checkSizes(long dstBytes, long srcBytes) {
        if (dstBytes != srcBytes) {
            throw new IllegalArgumentException("copy size mismatch: destination has " + dstBytes
                    + " bytes, source has " + srcBytes + " (slice the larger one to the size wanted)");
        }
    }

    public static void checkByte(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("memset value must be a byte (0..255), got " + value);
        }
    }

    public static void checkAllocationSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation size must be > 0 bytes, got " + bytes);
        }
    }
}
