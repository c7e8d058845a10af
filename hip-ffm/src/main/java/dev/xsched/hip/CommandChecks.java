package dev.xsched.hip;

import dev.xsched.hip.internal.CopyChecks;

import java.lang.foreign.MemorySegment;

/**
 * The argument checks that every {@link CommandQueue} of hip-ffm runs before a copy or memset
 * reaches a driver, for queues implemented elsewhere (a scheduler's queue, which buffers commands
 * and so checks them when they are submitted rather than when they are issued). Each check throws
 * the exception and message the platforms' own streams throw, so a caller cannot tell whose
 * queue rejected a command.
 *
 * <ul>
 *   <li>{@link NullPointerException} naming the argument ({@code source}, {@code destination});</li>
 *   <li>{@link IllegalStateException} for a closed device buffer or host memory that is no longer alive;</li>
 *   <li>{@link IllegalArgumentException} for a buffer of another platform, a heap segment (asynchronous
 *       copies need native memory), a read-only destination, unequal sizes, or a memset value outside
 *       0..255.</li>
 * </ul>
 */
public final class CommandChecks {
    private CommandChecks() {
    }

    /**
     * Checks a host-to-device copy of {@code src} into {@code dst} on {@code platform}.
     *
     * @param dst      the destination, an open buffer of {@code platform}
     * @param src      the source, live native memory of {@code dst}'s size
     * @param platform the platform of the queue the copy is submitted to
     */
    public static void hostToDevice(DeviceMemory dst, MemorySegment src, HipPlatform platform) {
        CopyChecks.hostToDevice(dst, src, platform);
    }

    /**
     * Checks a device-to-host copy of {@code src} into {@code dst} on {@code platform}.
     *
     * @param dst      the destination, live, writable native memory of {@code src}'s size
     * @param src      the source, an open buffer of {@code platform}
     * @param platform the platform of the queue the copy is submitted to
     */
    public static void deviceToHost(MemorySegment dst, DeviceMemory src, HipPlatform platform) {
        CopyChecks.deviceToHost(dst, src, platform);
    }

    /**
     * Checks a device-to-device copy on {@code platform}.
     *
     * @param dst      the destination, an open buffer of {@code platform}
     * @param src      the source, an open buffer of {@code platform} of {@code dst}'s size
     * @param platform the platform of the queue the copy is submitted to
     */
    public static void deviceToDevice(DeviceMemory dst, DeviceMemory src, HipPlatform platform) {
        CopyChecks.deviceToDevice(dst, src, platform);
    }

    /**
     * Checks a memset of {@code dst} to {@code value} on {@code platform}.
     *
     * @param dst      the destination, an open buffer of {@code platform}
     * @param value    the byte, 0..255
     * @param platform the platform of the queue the memset is submitted to
     */
    public static void memset(DeviceMemory dst, int value, HipPlatform platform) {
        CopyChecks.memset(dst, value, platform);
    }

    /** A thread that never runs: a segment it may access is not confined to one thread. */
    private static final Thread SOME_OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    /**
     * For a copy that another thread may issue later (a scheduler's queue issues from its own
     * thread): the host memory must not be confined to the submitting thread.
     *
     * @param segment the host memory of the copy
     * @param role    {@code "source"} or {@code "destination"}, for the message
     * @throws IllegalArgumentException if only the calling thread may access {@code segment}
     */
    public static void checkShareable(MemorySegment segment, String role) {
        if (!segment.isAccessibleBy(SOME_OTHER_THREAD)) {
            throw new IllegalArgumentException(role + " host memory is confined to one thread; a scheduled queue may issue "
                    + "the copy from another thread: allocate it from Arena.ofShared(), Arena.ofAuto() or a PinnedBuffer");
        }
    }
}
