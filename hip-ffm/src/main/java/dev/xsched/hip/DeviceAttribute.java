package dev.xsched.hip;

/**
 * Device attributes read through {@code hipDeviceGetAttribute} or {@code cuDeviceGetAttribute}
 * (never through {@code hipDeviceProp_t}, whose layout changed between ROCm versions). Each
 * constant names the value's unit; see {@link Device#attribute(DeviceAttribute)}.
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
    /** Threads one block may have, over all three dimensions (1024 on current GPUs). */
    MAX_THREADS_PER_BLOCK,
    /**
     * Bytes of shared memory one block may use without opting in to more (48 KiB on NVIDIA, 64 KiB
     * on AMD Instinct); static plus {@link LaunchConfig#sharedMemoryBytes()} beyond it fails the
     * launch.
     */
    MAX_SHARED_MEMORY_PER_BLOCK,
    /** Size of the L2 cache in bytes. */
    L2_CACHE_BYTES,
    /** Major compute capability: 9 for an H200 ({@code sm_90}); on AMD what HIP reports for the gfx target. */
    COMPUTE_CAPABILITY_MAJOR,
    /** Minor compute capability: 0 for an H200 ({@code sm_90}). */
    COMPUTE_CAPABILITY_MINOR,
    /** 1 if kernels of different streams may run at the same time. */
    CONCURRENT_KERNELS,
    /** Largest {@code blockDim.x}, in threads. */
    MAX_BLOCK_DIM_X,
    /** Largest {@code gridDim.x}, in blocks (2<sup>31</sup> - 1 on current GPUs). */
    MAX_GRID_DIM_X,
    /** The number of the PCI bus the device sits on. */
    PCI_BUS_ID
}
