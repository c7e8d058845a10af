package dev.xsched.hip;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sliceable-kernel convention: preemption finer than a kernel by launching a kernel's grid as
 * several smaller launches ("slices") that a scheduler can stop between.
 *
 * <h2>Writing a sliceable kernel</h2>
 * <ul>
 *   <li>Its <em>last</em> parameter is an {@code int}: the block offset of the slice.</li>
 *   <li>It reads its logical block index as {@code xsched_block_x(offset)} (from {@link #PRELUDE},
 *       prepended to the source) instead of {@code blockIdx.x}, and never uses {@code gridDim}
 *       (a slice's {@code gridDim.x} is the slice size, not the logical grid); pass the logical
 *       size as an ordinary argument when the kernel needs it.</li>
 *   <li>Only one-dimensional grids are sliced ({@code grid.y == grid.z == 1}); 2-D and 3-D grids
 *       are rejected rather than linearised, so a kernel never sees a remapped {@code blockIdx.y}.
 *       The block shape ({@code blockDim}) and shared memory are unchanged.</li>
 *   <li>Blocks must be independent (no inter-block synchronisation, no grid-wide cooperation,
 *       no "last block done" counters that assume all blocks are in one launch), as for any
 *       kernel whose blocks may run in any order.</li>
 * </ul>
 * Launched unsliced (one slice of the whole grid, offset 0) the kernel computes the same as
 * with any slicing.
 *
 * <pre>{@code
 * String source = SlicedKernels.PRELUDE + """
 *     extern "C" __global__ void scale(float* x, int n, float a, int xsched_offset) {
 *         long long i = (long long) xsched_block_x(xsched_offset) * blockDim.x + threadIdx.x;
 *         if (i < n) x[i] *= a;
 *     }
 *     """;
 * Kernel k = module.function("scale", POINTER, INT, FLOAT, INT);
 * queue.launchSliced(k, LaunchConfig.of(blocks, 256), KernelArgs.builder().pointer(x).i32(n).f32(a).build(), 64);
 * }</pre>
 */
public final class SlicedKernels {
    /**
     * Device code to prepend to a sliceable kernel's source. Plain C++ with no includes, so that
     * both hiprtc and NVRTC compile it; a host C++ compiler with a {@code blockIdx} emulation
     * does too.
     */
    public static final String PRELUDE = """
            // xsched sliced launches: the logical block index of a 1-D grid launched in slices.
            #ifndef XSCHED_SLICED_PRELUDE
            #define XSCHED_SLICED_PRELUDE 1
            __device__ __forceinline__ int xsched_block_x(int xsched_offset) {
                return xsched_offset + (int) blockIdx.x;
            }
            #endif
            """;

    private SlicedKernels() {
    }

    /**
     * One launch of a sliced kernel: its grid and its arguments (the offset appended).
     *
     * @param offset the logical index of the slice's first block
     * @param config the slice's launch: {@code min(blocksPerSlice, grid - offset)} blocks, the
     *               logical launch's block shape and shared memory
     * @param args   the caller's arguments followed by {@code offset}
     */
    public record Slice(int offset, LaunchConfig config, KernelArgs args) {
    }

    /**
     * Validates a sliced launch, without submitting anything.
     *
     * @param kernel         the kernel, whose last parameter must be the {@code int} block offset
     * @param config         the logical launch, with a one-dimensional grid
     * @param args           the arguments before the block offset
     * @param blocksPerSlice the most blocks one slice launches
     * @throws IllegalArgumentException as {@link CommandQueue#launchSliced} documents
     */
    public static void check(Kernel kernel, LaunchConfig config, KernelArgs args, int blocksPerSlice) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        if (blocksPerSlice < 1) {
            throw new IllegalArgumentException("blocksPerSlice must be >= 1, got " + blocksPerSlice);
        }
        List<ParamType> signature = kernel.signature();
        if (signature.isEmpty() || signature.getLast() != ParamType.INT) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " is not sliceable: its last parameter must be"
                    + " the int block offset, signature " + signature);
        }
        if (config.grid().y() != 1 || config.grid().z() != 1) {
            throw new IllegalArgumentException("only one-dimensional grids are sliced, got grid " + config.grid()
                    + " for kernel " + kernel.name());
        }
        if (args.count() != signature.size() - 1) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " takes " + (signature.size() - 1)
                    + " arguments before the block offset " + signature.subList(0, signature.size() - 1) + ", got "
                    + args.count() + " " + args.types());
        }
        kernel.checkLeadingArgs(args); // the block offset's type was checked above
    }

    /**
     * The number of slices of a grid of {@code blocks} at {@code blocksPerSlice}.
     *
     * @param blocks         blocks in the logical grid, {@code >= 0}
     * @param blocksPerSlice the most blocks one slice launches, {@code >= 1}
     * @return {@code ceil(blocks / blocksPerSlice)}, computed without overflow
     */
    public static int sliceCount(int blocks, int blocksPerSlice) {
        return (int) (((long) blocks + blocksPerSlice - 1) / blocksPerSlice);
    }

    /**
     * The slices of a launch, in order: slice i has offset {@code i * K} and
     * {@code min(K, grid - offset)} blocks. Validates first ({@link #check}).
     *
     * @param kernel         the kernel, whose last parameter must be the {@code int} block offset
     * @param config         the logical launch, with a one-dimensional grid
     * @param args           the arguments before the block offset
     * @param blocksPerSlice the most blocks one slice launches (K)
     * @return the {@link #sliceCount} slices, in launch order
     * @throws IllegalArgumentException as {@link CommandQueue#launchSliced} documents
     */
    public static List<Slice> plan(Kernel kernel, LaunchConfig config, KernelArgs args, int blocksPerSlice) {
        check(kernel, config, args, blocksPerSlice);
        int grid = config.grid().x();
        List<Slice> slices = new ArrayList<>(sliceCount(grid, blocksPerSlice));
        for (int offset = 0; offset < grid; offset += Math.min(blocksPerSlice, grid - offset)) {
            int blocks = Math.min(blocksPerSlice, grid - offset);
            slices.add(new Slice(offset, new LaunchConfig(Dim3.of(blocks), config.block(), config.sharedMemoryBytes()),
                    args.withI32(offset)));
        }
        return slices;
    }
}
