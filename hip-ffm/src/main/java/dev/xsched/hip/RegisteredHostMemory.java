package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

/**
 * Host memory that this library did not allocate, page-locked and mapped for the device
 * ({@code cuMemHostRegister} with {@code PORTABLE | DEVICEMAP}; made by
 * {@link Device#registerHostMemory(MemorySegment)}): typically a file mapping that another process
 * shares, such as a word in {@code /dev/shm} that a stream waits on
 * ({@link Stream#waitUntilAtLeast}) so that a plain store by another process, which needs no GPU
 * call, starts work on this device. The memory stays its owner's: {@link #close()} unregisters it
 * and frees nothing.
 */
public interface RegisteredHostMemory extends AutoCloseable {
    /**
     * The device the memory was registered for.
     *
     * @return that device
     */
    Device device();

    /**
     * The memory as registered, which host code reads and writes.
     *
     * @return the caller's segment
     * @throws IllegalStateException if the registration was closed
     */
    MemorySegment segment();

    /**
     * The size.
     *
     * @return the size in bytes, as registered
     */
    long byteSize();

    /**
     * The address at which the device reaches the memory ({@code cuMemHostGetDevicePointer}); on
     * the simulated platform an address that {@link dev.xsched.hip.sim.SimMemory} resolves to the
     * segment.
     *
     * @return the device-side address of the segment's first byte
     * @throws IllegalStateException if the registration was closed
     */
    long deviceAddress();

    /**
     * Whether the memory is still registered.
     *
     * @return false once {@link #close()} was called
     */
    boolean isOpen();

    /**
     * Unregisters the memory ({@code cuMemHostUnregister}); only the first call does anything, a
     * device-wide call ({@link Device#onDeviceWideCalls}). Work
     * that reads the memory (a stream's wait on it) must have completed: the memory itself stays
     * allocated, but the device's mapping of it ends.
     *
     * @throws HipException if the driver call fails
     */
    @Override
    void close();
}
