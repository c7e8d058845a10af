package dev.xsched.hip;

/**
 * Device memory owned by the caller ({@code hipMalloc}). Closing it frees the memory; commands
 * already submitted that use it must have completed (synchronize first).
 */
public interface DeviceBuffer extends DeviceMemory, AutoCloseable {
    /** The device the memory lives on. */
    Device device();

    @Override
    void close();
}
