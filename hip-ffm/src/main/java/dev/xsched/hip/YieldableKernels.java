package dev.xsched.hip;

import java.util.List;
import java.util.Objects;

/**
 * The yieldable-kernel convention: cooperative preemption inside a running kernel. A yieldable
 * kernel polls a flag that its queue sets when it is suspended; its blocks then stop early, each
 * recording how far it got (or nothing, when the block is idempotent and simply starts over), and
 * the queue launches the kernel again on resume. Blocks that had finished skip the relaunch.
 * This is the one mechanism that bounds a high-priority wait below the duration of a running
 * low-priority thread block: launch gating, slicing and hardware priorities all wait for blocks
 * that have started.
 *
 * <h2>Writing a yieldable kernel</h2>
 * <ul>
 *   <li>Its <em>last three</em> parameters are {@code XSCHED_YIELD_PARAMS} (three pointers, from
 *       {@link #PRELUDE}, prepended to the source); the queue supplies them.</li>
 *   <li>It opens with {@code int from = xsched_block_begin(y);} where
 *       {@code xsched_yield_t y = XSCHED_YIELD_CONTEXT;}, and returns at once when {@code from} is
 *       negative (the block finished in an earlier launch, or its queue is being preempted before
 *       the block started). Otherwise {@code from} is the progress it saved when it last yielded,
 *       0 the first time.</li>
 *   <li>In its long loops, every thread of the block calls {@code xsched_yield_requested(y)} at the
 *       same point (it synchronises the block, like {@code __syncthreads()}, and its leader reads
 *       the flag from memory, so call it every few microseconds of work, not per element). When it
 *       returns non-zero, the block calls {@code xsched_block_yield(y, progress)} and returns:
 *       a relaunch starts the block again with {@code from == progress}. A block whose work is
 *       idempotent passes 0 and starts over; a block with partial state in registers writes that
 *       state to its own memory first.</li>
 *   <li>It ends with {@code xsched_block_end(y)}, which marks the block finished.</li>
 *   <li>Nothing outside the block may depend on a yielded block having run: blocks are
 *       independent, as for {@link SlicedKernels}. Any grid shape is allowed.</li>
 * </ul>
 * Launched on a plain stream ({@link CommandQueue#launchYieldable}), the three pointers are null
 * and the kernel runs to the end: the helpers never yield and cost one comparison.
 *
 * <pre>{@code
 * String source = YieldableKernels.PRELUDE + """
 *     extern "C" __global__ void iterate(float* x, int steps, XSCHED_YIELD_PARAMS) {
 *         xsched_yield_t y = XSCHED_YIELD_CONTEXT;
 *         int from = xsched_block_begin(y);
 *         if (from < 0) return;
 *         float v = x[blockIdx.x * blockDim.x + threadIdx.x];
 *         for (int s = from; s < steps; s++) {
 *             if (xsched_yield_requested(y)) {
 *                 x[blockIdx.x * blockDim.x + threadIdx.x] = v; // progress saved in place
 *                 xsched_block_yield(y, s);
 *                 return;
 *             }
 *             v = v * 0.5f + 1.0f;
 *         }
 *         x[blockIdx.x * blockDim.x + threadIdx.x] = v;
 *         xsched_block_end(y);
 *     }
 *     """;
 * Kernel k = module.function("iterate", POINTER, INT, POINTER, POINTER, POINTER);
 * queue.launchYieldable(k, LaunchConfig.of(blocks, 256), KernelArgs.builder().pointer(x).i32(steps).build());
 * }</pre>
 *
 * <h2>The control words</h2>
 * {@code flag} is an {@code int} of device memory, non-zero while the queue wants its kernels to
 * stop; the host writes it with a 4-byte copy on a stream of its own, which a copy engine carries
 * out while the kernel occupies every SM (device memory, not host-mapped memory, because every
 * block reads it and thousands of simultaneous reads across the bus are slow); {@code state} is
 * device memory with one {@code int} per block of the launch (0 before the first launch: fresh;
 * {@code p > 0}: resume at {@code p}; {@value #BLOCK_DONE}: finished), then the launch's stop
 * latch ({@link #latchOffset}); {@code record} is an {@code int} in host-mapped memory that the
 * first block to stop early sets to 1, so the host learns after the launch completes whether it
 * has to be launched again.
 */
public final class YieldableKernels {
    /** The number of parameters the convention appends to a kernel's own. */
    public static final int CONTROL_PARAMETERS = 3;

    /** The state of a block that finished. */
    public static final int BLOCK_DONE = -1;

    /** Bytes of yield state per block of a launch. */
    public static final int STATE_BYTES_PER_BLOCK = Integer.BYTES;

    /** Bytes of a launch's stop latch, after its blocks' states ({@link #latchOffset(LaunchConfig)}). */
    public static final int LATCH_BYTES = Integer.BYTES;

    /**
     * Device code to prepend to a yieldable kernel's source. Plain C++ with no includes, so that
     * both hiprtc and NVRTC compile it; a host C++ compiler with a {@code blockIdx} emulation
     * does too.
     */
    public static final String PRELUDE = """
            // xsched cooperative yield: a kernel that stops early when its queue is preempted.
            #ifndef XSCHED_YIELD_PRELUDE
            #define XSCHED_YIELD_PRELUDE 1
            #define XSCHED_YIELD_PARAMS const volatile int* xsched_yield_flag, int* xsched_yield_state, \\
                volatile int* xsched_yield_record
            #define XSCHED_YIELD_CONTEXT (xsched_yield_t{xsched_yield_flag, xsched_yield_state, xsched_yield_record})
            #define XSCHED_BLOCK_DONE (-1)
            struct xsched_yield_t {
                const volatile int* flag;  // device memory; non-zero: stop. Null: an unmanaged launch.
                int* state;                // one int per block: progress to resume at, or XSCHED_BLOCK_DONE; then the stop latch
                volatile int* record;      // host-mapped; set to 1 when a block stops early
            };
            __device__ __forceinline__ unsigned xsched_block_linear() {
                return blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
            }
            __device__ __forceinline__ bool xsched_block_leader() {
                return threadIdx.x == 0 && threadIdx.y == 0 && threadIdx.z == 0;
            }
            // The launch must run again: sets the host's record, once per launch. The record is
            // host-mapped, so each write crosses the bus; when a whole grid stops at its entry (a
            // pooling kernel's 800,000 blocks at ResNet-50 b1024) a write per block kept the SMs
            // busy for milliseconds after the flag rose. The latch, the int after the blocks'
            // states in device memory, lets the first stopping block through; a relaunch starts
            // with it zeroed again. Called by a block's leader.
            __device__ __forceinline__ void xsched_record_stop(xsched_yield_t y) {
                volatile int* latch = y.state + gridDim.x * gridDim.y * gridDim.z;
                if (*latch == 0 && atomicExch((int*) latch, 1) == 0) *y.record = 1;
            }
            // Entry: the progress to start at (0 the first time), or -1 when the block must return
            // at once (it finished in an earlier launch, or the queue is stopping). All threads call it.
            // No shared memory (it could cost a kernel occupancy): the leader's answer reaches the
            // block through __syncthreads_or. The leader reads the flag whatever the state says, so
            // that the two reads are in flight together: every block waits for them before its
            // first instruction of work, which short blocks feel.
            __device__ int xsched_block_begin(xsched_yield_t y) {
                if (y.flag == 0) return 0;
                int at = y.state[xsched_block_linear()];
                int raised = xsched_block_leader() ? *y.flag : 0;
                int stop = __syncthreads_or(at != XSCHED_BLOCK_DONE && raised != 0);
                if (stop) {
                    if (xsched_block_leader()) xsched_record_stop(y);  // not started: it runs in the relaunch
                    return XSCHED_BLOCK_DONE;
                }
                return at;
            }
            // Whether the block must stop now; the same answer in every thread. All threads call it.
            __device__ int xsched_yield_requested(xsched_yield_t y) {
                if (y.flag == 0) return 0;
                return __syncthreads_or(xsched_block_leader() && *y.flag != 0);
            }
            // The block stops; a relaunch resumes it at `progress` (0: from the start). Then return.
            __device__ void xsched_block_yield(xsched_yield_t y, int progress) {
                if (y.flag != 0 && xsched_block_leader()) {
                    y.state[xsched_block_linear()] = progress;
                    xsched_record_stop(y);
                }
            }
            // The block finished: a relaunch skips it.
            __device__ void xsched_block_end(xsched_yield_t y) {
                if (y.flag != 0 && xsched_block_leader()) y.state[xsched_block_linear()] = XSCHED_BLOCK_DONE;
            }
            #endif
            """;

    private YieldableKernels() {
    }

    /**
     * Validates a yieldable launch (its own arguments, without the control pointers), without
     * launching anything.
     *
     * @param kernel the kernel, whose last three parameters must be pointers
     * @param config the launch (any grid shape)
     * @param args   the kernel's own arguments
     *
     * @throws IllegalArgumentException if the kernel does not end with the three control pointers,
     *                                  or the arguments do not match the parameters before them
     */
    public static void check(Kernel kernel, LaunchConfig config, KernelArgs args) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        List<ParamType> signature = kernel.signature();
        int own = signature.size() - CONTROL_PARAMETERS;
        if (own < 0 || !controlParametersArePointers(signature, own)) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " is not yieldable: its last "
                    + CONTROL_PARAMETERS + " parameters must be the pointers of XSCHED_YIELD_PARAMS, signature " + signature);
        }
        if (args.count() != own) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " takes " + own
                    + " arguments before XSCHED_YIELD_PARAMS " + signature.subList(0, own) + ", got "
                    + args.count() + " " + args.types());
        }
        // The leading arguments only: the control pointers were checked above, and building the
        // unmanaged arguments to check them all would allocate on every yieldable launch.
        kernel.checkLeadingArgs(args);
    }

    private static boolean controlParametersArePointers(List<ParamType> signature, int own) {
        for (int i = own; i < signature.size(); i++) {
            if (signature.get(i) != ParamType.POINTER) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code args} with three null control pointers: the kernel runs to the end and never yields.
     *
     * @param args the kernel's own arguments
     * @return {@code args} followed by three null pointers
     */
    public static KernelArgs unmanaged(KernelArgs args) {
        return KernelArgs.builder(args, CONTROL_PARAMETERS).nullPointer().nullPointer().nullPointer().build();
    }

    /**
     * {@code args} with the control pointers of a managed launch of {@code config}: {@code flag} (an
     * {@code int} of device memory), {@code state} (at least {@link #stateBytes(LaunchConfig)}
     * bytes, zero before the first launch, and its stop latch at {@link #latchOffset(LaunchConfig)}
     * zero again before each relaunch) and the record at {@code recordOffset} of host-mapped
     * {@code records}. The caller (a scheduled queue) owns the three buffers and keeps them until
     * the kernel has finished every block.
     *
     * <p>The sizes are checked here because nothing checks them later: a GPU kernel writes past a
     * buffer too small without a fault that names it (the simulator refuses such a launch).
     *
     * @param args         the kernel's own arguments
     * @param config       the launch the arguments are for: the state must hold its blocks
     * @param flag         4 bytes of device memory or more: the stop flag, non-zero to stop
     * @param state        the per-block progress, {@link #stateBytes(LaunchConfig)} bytes or more
     * @param records      pinned memory holding the record, an {@code int} the blocks set to 1
     *                     when one stops early
     * @param recordOffset the record's byte offset in {@code records}: 4-byte aligned, and all
     *                     4 bytes of the record inside the buffer
     * @return {@code args} followed by the three control pointers
     * @throws IllegalStateException    if a buffer is closed
     * @throws IllegalArgumentException if {@code flag} or {@code state} is too small for its words,
     *                                  or the record at {@code recordOffset} is misaligned or does
     *                                  not fit in {@code records}
     */
    public static KernelArgs managed(KernelArgs args, LaunchConfig config, DeviceMemory flag, DeviceMemory state,
                                     PinnedBuffer records, long recordOffset) {
        Objects.requireNonNull(config, "config");
        ControlWordChecks.check(config, flag, state, records, recordOffset);
        return KernelArgs.builder(args, CONTROL_PARAMETERS)
                .pointer(flag)
                .pointer(state)
                .pointer(records, recordOffset)
                .build();
    }

    /**
     * The number of blocks of a launch: the length of its yield state.
     *
     * @param config the launch
     * @return the grid's volume
     */
    public static long blocks(LaunchConfig config) {
        Dim3 grid = config.grid();
        return (long) grid.x() * grid.y() * grid.z();
    }

    /**
     * Bytes of yield state a launch of {@code config} needs: the blocks' states, then the stop latch.
     *
     * @param config the launch
     * @return {@link #blocks(LaunchConfig)} times {@link #STATE_BYTES_PER_BLOCK}, plus the latch's
     *         {@value #LATCH_BYTES}
     */
    public static long stateBytes(LaunchConfig config) {
        return latchOffset(config) + LATCH_BYTES;
    }

    /**
     * Where in a launch's state its stop latch lies: an {@code int} the first block that stops sets,
     * so that only that block writes the host-mapped record (a write crosses the bus; a grid of
     * hundreds of thousands of blocks stopping at once wrote it for milliseconds). Zero it before
     * each relaunch of a launch that stopped, or the relaunch's stops go unrecorded and its
     * unfinished blocks are taken for finished. {@link #relaunchReset(CommandQueue, DeviceMemory, LaunchConfig)}
     * does it on the launch's stream.
     *
     * @param config the launch
     * @return the latch's byte offset in the state: after one {@code int} per block
     */
    public static long latchOffset(LaunchConfig config) {
        return blocks(config) * STATE_BYTES_PER_BLOCK;
    }

    /**
     * Zeroes the stop latch of a launch that stopped, on {@code stream} ahead of its relaunch there.
     *
     * @param stream the stream (or queue) the relaunch goes to
     * @param state  the launch's state, {@link #stateBytes(LaunchConfig)} bytes or more
     * @param config the launch
     * @throws IndexOutOfBoundsException if {@code state} is too small for {@code config}
     * @throws HipException              if the memset cannot be enqueued
     */
    public static void relaunchReset(CommandQueue stream, DeviceMemory state, LaunchConfig config) {
        stream.memset(state.slice(latchOffset(config), LATCH_BYTES), 0);
    }
}
