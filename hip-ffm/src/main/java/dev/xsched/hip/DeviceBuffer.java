package dev.xsched.hip;

/**
 * Device memory owned by the caller ({@code hipMalloc}, {@code cuMemAlloc}; made by
 * {@link Device#allocate(long)}). Closing it frees the memory; commands already submitted that use
 * it must have completed (synchronize the queues first): a scheduled queue may not even have issued
 * them yet, and a kernel still using freed memory corrupts whatever is allocated there next.
 * Commands that name a closed buffer are rejected with {@link IllegalStateException} before any
 * native call. A close racing a command on another thread: a stream's copy, memset or memory wait
 * holds the buffer open for its native call, so the free (which waits for the device) comes after
 * the command; a kernel launch only checks its pointers open, so closing a buffer while another
 * thread launches a kernel that names it is the caller's race (the kernel may fault).
 */
public interface DeviceBuffer extends DeviceMemory, AutoCloseable {
    /**
     * The device the memory lives on.
     *
     * @return the device that allocated this buffer
     */
    Device device();

    /**
     * Frees the memory ({@code hipFree}, {@code cuMemFree}); only the first call does anything, a
     * device-wide call ({@link Device#onDeviceWideCalls}).
     *
     * @throws HipException if the driver call fails (on NVIDIA after a kernel fault, for example)
     */
    @Override
    void close();
}
