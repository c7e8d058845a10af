package dev.xsched.hip.gpu;

/**
 * Kernel sources in the common HIP/CUDA subset ({@code extern "C" __global__}, {@code blockIdx},
 * {@code threadIdx}, {@code blockDim}, {@code gridDim}, {@code __shared__}, {@code __syncthreads},
 * {@code clock64}): one source compiles with hiprtc on AMD and with NVRTC on NVIDIA.
 * {@link PortableKernelSourcesTest} compiles them with hiprtc on machines without a GPU.
 */
public final class GpuKernels {
    private GpuKernels() {
    }

    public static final String VECTOR_ADD = """
            extern "C" __global__ void vector_add(const float* a, const float* b, float* out, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) out[i] = a[i] + b[i];
            }
            """;

    /** Threads per block of {@link #BLOCK_SUM}: the shared array's size, a power of two. */
    public static final int BLOCK_SUM_THREADS = 256;

    /** Each block sums a grid-strided share of {@code in} in shared memory and writes one partial sum. */
    public static final String BLOCK_SUM = """
            extern "C" __global__ void block_sum(const float* in, float* partial_sums, int n) {
                __shared__ float partial[256];
                float sum = 0.0f;
                for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
                    sum += in[i];
                }
                partial[threadIdx.x] = sum;
                __syncthreads();
                for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
                    if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
                    __syncthreads();
                }
                if (threadIdx.x == 0) partial_sums[blockIdx.x] = partial[0];
            }
            """;

    /** Tile edge of {@link #MATMUL_TILED}: blocks are TILE x TILE threads. */
    public static final int TILE = 16;

    /** {@code c = a * b} for row-major {@code a} (m x k) and {@code b} (k x n), through shared-memory tiles. */
    public static final String MATMUL_TILED = """
            #define TILE 16
            extern "C" __global__ void matmul_tiled(const float* a, const float* b, float* c, int m, int n, int k) {
                __shared__ float tile_a[TILE][TILE];
                __shared__ float tile_b[TILE][TILE];
                int row = blockIdx.y * TILE + threadIdx.y;
                int col = blockIdx.x * TILE + threadIdx.x;
                float acc = 0.0f;
                for (int t = 0; t < (k + TILE - 1) / TILE; t++) {
                    int a_col = t * TILE + threadIdx.x;
                    int b_row = t * TILE + threadIdx.y;
                    tile_a[threadIdx.y][threadIdx.x] = (row < m && a_col < k) ? a[row * k + a_col] : 0.0f;
                    tile_b[threadIdx.y][threadIdx.x] = (b_row < k && col < n) ? b[b_row * n + col] : 0.0f;
                    __syncthreads();
                    for (int i = 0; i < TILE; i++) acc += tile_a[threadIdx.y][i] * tile_b[i][threadIdx.x];
                    __syncthreads();
                }
                if (row < m && col < n) c[row * n + col] = acc;
            }
            """;

    /** Busy-waits {@code cycles} GPU clock cycles, then sets {@code *done} to 1: a kernel that is still running when queried. */
    public static final String SPIN = """
            extern "C" __global__ void spin(long long cycles, int* done) {
                long long start = clock64();
                while (clock64() - start < cycles) { }
                if (threadIdx.x == 0 && blockIdx.x == 0) *done = 1;
            }
            """;

    /** Writes one int at {@code p + offset}: with a huge offset, an illegal address. */
    public static final String WRITE_AT = """
            extern "C" __global__ void write_at(int* p, long long offset) {
                p[offset] = 42;
            }
            """;

    /**
     * A {@linkplain dev.xsched.hip.YieldableKernels yieldable} kernel: each block works through
     * {@code chunks} steps of {@code chunk_cycles} spinning, checking for a yield before each step,
     * and every thread adds 1 to its counter per step. Stopped and relaunched any number of times,
     * every counter ends at exactly {@code chunks}: no step runs twice, none is skipped.
     */
    public static final String YIELD_COUNT = dev.xsched.hip.YieldableKernels.PRELUDE + """
            extern "C" __global__ void yield_count(int* counters, int chunks, long long chunk_cycles, XSCHED_YIELD_PARAMS) {
                xsched_yield_t y = XSCHED_YIELD_CONTEXT;
                int from = xsched_block_begin(y);
                if (from < 0) return;
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                for (int c = from; c < chunks; c++) {
                    if (xsched_yield_requested(y)) {
                        xsched_block_yield(y, c);
                        return;
                    }
                    long long start = clock64();
                    while (clock64() - start < chunk_cycles) { }
                    counters[i] += 1;
                }
                xsched_block_end(y);
            }
            """;

    /** Writes {@code value} through a pointer, which may be host-mapped pinned memory. */
    public static final String WRITE_INT = """
            extern "C" __global__ void write_int(volatile int* p, int value) {
                if (threadIdx.x == 0 && blockIdx.x == 0) *p = value;
            }
            """;

    /** Does nothing: launch overhead alone. */
    public static final String EMPTY = """
            extern "C" __global__ void empty_kernel() { }
            """;
}
