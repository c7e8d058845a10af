package dev.xsched.hip;

/**
 * Device attributes read through {@code hipDeviceGetAttribute} (never through
 * {@code hipDeviceProp_t}, whose layout changed between ROCm versions).
 */
public enum DeviceAttribute {
    /** Compute units (AMD) or streaming multiprocessors (NVIDIA). */
    COMPUTE_UNITS,
    /** Peak core clock in kHz. */
    CLOCK_RATE_KHZ,
    /** Peak memory clock in kHz. */
    MEMORY_CLOCK_RATE_KHZ,
    /** Global memory bus width in bits. */
    MEMORY_BUS_WIDTH_BITS,
    /** Threads in a warp (32) or wavefront (64 on most AMD GPUs). */
    WARP_SIZE,
    MAX_THREADS_PER_BLOCK,
    MAX_SHARED_MEMORY_PER_BLOCK,
    L2_CACHE_BYTES,
    COMPUTE_CAPABILITY_MAJOR,
    COMPUTE_CAPABILITY_MINOR,
    /** 1 if kernels of different streams may run at the same time. */
    CONCURRENT_KERNELS,
    MAX_BLOCK_DIM_X,
    MAX_GRID_DIM_X,
    PCI_BUS_ID
}
