// ResNet inference kernels, written in the subset of C++ that both hiprtc (AMD) and NVRTC
// (NVIDIA) compile without any include: extern "C" __global__ entry points, blockIdx/threadIdx,
// __shared__, __syncthreads(), fmaxf. No float4 (it needs the vector-type headers), no warp
// shuffles (their names and widths differ between HIP and CUDA), no C++17.
//
// Layout everywhere: NCHW float32, batch outermost. Element offsets are 64-bit (a ResNet-50
// activation at batch 1024 has 822 million elements; products of two of its sizes overflow int).
//
// Every parameter list here is mirrored by a ParamType signature in ResNetKernels.java.
//
// The convolutions are sliceable (hip-ffm's SlicedKernels): their last parameter is the block
// offset of a slice, and they read their logical block index through xsched_block_x(offset),
// defined by SlicedKernels.PRELUDE, which ResNetKernels.source() puts in front of this file. An
// unsliced launch passes offset 0. Nothing in them uses gridDim, and their blocks are independent.
//
// They are also yieldable (hip-ffm's YieldableKernels, whose PRELUDE comes next): the *_yield
// entry points take XSCHED_YIELD_PARAMS instead of the offset. Such a block returns at once when
// it finished in an earlier launch or its queue is stopping, and checks every
// XSCHED_CONV_YIELD_EVERY K slices whether to stop. A block writes its tile only at the very end,
// so it is idempotent: it stops without saving anything, and a relaunch computes the tile again.
#define XSCHED_CONV_YIELD_EVERY 32

// 16- and 8-byte vectors of our own, so that shared-memory fragment reads compile to one
// 128-bit (or 64-bit) load without the vector-type headers.
struct alignas(16) Float4 { float x, y, z, w; };
struct alignas(8) Float2 { float x, y; };

// Reads W consecutive floats from shared memory, with one vector load where W is 4 or 2. The
// caller guarantees alignment (fragment offsets are multiples of W).
template <int W>
__device__ __forceinline__ void load_fragment(float* dst, const float* src) {
    if (W == 4) {
        Float4 v = *reinterpret_cast<const Float4*>(src);
        dst[0] = v.x; dst[1] = v.y; dst[2] = v.z; dst[3] = v.w;
    } else if (W == 2) {
        Float2 v = *reinterpret_cast<const Float2*>(src);
        dst[0] = v.x; dst[1] = v.y;
    } else {
#pragma unroll
        for (int i = 0; i < W; i++) dst[i] = src[i];
    }
}

// FP32 products on the FP32 cores: each thread owns a TM x TN micro-tile held in registers, split in
// two halves, rows ty*TM/2.. and BM/2 + ty*TM/2.. (likewise for columns): each half is a
// contiguous, aligned fragment (one vector load from shared memory), and the 16 threads of a row
// group read 16 different fragments back to back, which is free of bank conflicts.
template <int BM, int BN, int BK, int TM, int TN>
struct FmaMath {
    static_assert((BM / TM) * (BN / TN) == 256, "one micro-tile per thread of a 256-thread block");
    static constexpr int ROWS = TM;
    static constexpr int COLS = TN;
    int tx, ty;
    float acc[TM][TN];

    __device__ __forceinline__ explicit FmaMath(int tid) : tx(tid % (BN / TN)), ty(tid / (BN / TN)) {
#pragma unroll
        for (int i = 0; i < TM; i++)
#pragma unroll
            for (int j = 0; j < TN; j++) acc[i][j] = 0.0f;
    }

    // acc += the slice's Wt rows (As[k][m]) times its X rows (Bs[k][n]).
    __device__ __forceinline__ void multiply(const float (*As)[BM], const float (*Bs)[BN]) {
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            float a[TM];
            float b[TN];
            load_fragment<TM / 2>(a, &As[kk][ty * (TM / 2)]);
            load_fragment<TM / 2>(a + TM / 2, &As[kk][BM / 2 + ty * (TM / 2)]);
            load_fragment<TN / 2>(b, &Bs[kk][tx * (TN / 2)]);
            load_fragment<TN / 2>(b + TN / 2, &Bs[kk][BN / 2 + tx * (TN / 2)]);
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++) acc[i][j] += a[i] * b[j];
        }
    }

    // The tile row (output channel) of accumulator row i, and the tile column (pixel) of column j.
    __device__ __forceinline__ int row(int i) const {
        return i < TM / 2 ? ty * (TM / 2) + i : BM / 2 + ty * (TM / 2) + i - TM / 2;
    }
    __device__ __forceinline__ int col(int j) const {
        return j < TN / 2 ? tx * (TN / 2) + j : BN / 2 + tx * (TN / 2) + j - TN / 2;
    }
    __device__ __forceinline__ float value(int i, int j) const { return acc[i][j]; }
};

#define CONV_FLAG_RELU 1
#define CONV_FLAG_RESIDUAL 2

// Convolution as an implicit GEMM, batch norm already folded into weights and bias:
//
//   out[co][n] = sum_k Wt[k][co] * X[k][n] + bias[co]   (+ residual, then ReLU, if flagged)
//
//   co: output channel (GEMM M dimension, Cout)
//   n:  output pixel across the batch, n = (b * OH + oh) * OW + ow (GEMM N, batch*OH*OW)
//   k:  reduction index, k = (ci * KH + kh) * KW + kw (GEMM K, Cin*KH*KW)
//   Wt: the weights transposed to K-major [K][Cout] at model build, so that a tile row of
//       consecutive output channels is one coalesced read
//   X:  never materialised (no im2col buffer): X[k][n] = in[b][ci][oh*s-p+kh][ow*s-p+kw], 0
//       outside the image
//
// One block of 256 threads computes a BM x BN output tile. The reduction walks K in BK-deep slices: each slice of
// Wt (BK x BM) and X (BK x BN) is staged in shared memory, double-buffered, with the next slice
// prefetched into registers while the current one is multiplied, so one __syncthreads per slice
// suffices and global latency hides behind the FMAs.
//
// The products of a slice are the job of `Math`, which holds the block's accumulators:
// FmaMath below (each thread a TM x TN micro-tile on the FP32 cores), or, on AMD GPUs with matrix
// cores, MatrixCoreMath in conv_mfma.hip. Math says which output element each accumulator is
// (row(i), col(j)), so the epilogue is shared.
//
// Loading: a thread loads A_PER values of the Wt slice and B_PER values of the X slice per K
// slice, all in one slice row, at columns c, c + stride, ... so that a warp reads consecutive
// addresses (consecutive output channels in Wt, consecutive pixels in the input for stride 1).
// Keeping a thread's X loads in one row means one k -> (ci, kh, kw) division per slice, and
// keeping its columns fixed means the pixel -> (b, oh, ow) divisions happen once per block.
template <int BM, int BN, int BK, typename Math>
__device__ __forceinline__ void conv2d_implicit_gemm(
        const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
        const float* __restrict__ residual, float* __restrict__ out,
        int batch, int C, int H, int W, int Cout, int OH, int OW,
        int KH, int KW, int stride, int pad, int flags, int block, xsched_yield_t y) {
    constexpr int THREADS = 256;
    constexpr int A_PER = BK * BM / THREADS;       // Wt values a thread loads per slice
    constexpr int B_PER = BK * BN / THREADS;       // X values a thread loads per slice
    constexpr int A_COLS = BM / A_PER;             // threads sharing one Wt slice row
    constexpr int B_COLS = BN / B_PER;             // threads sharing one X slice row
    static_assert(THREADS / A_COLS == BK, "Wt slice rows must match the thread count");
    static_assert(THREADS / B_COLS == BK, "X slice rows must match the thread count");

    // Declared as Float4 arrays for their 16-byte alignment (a plain float array is only
    // guaranteed 4, and the fragment reads below are 16-byte vector loads), used as float tiles.
    __shared__ Float4 a_storage[2 * BK * BM / 4];
    __shared__ Float4 b_storage[2 * BK * BN / 4];
    float (*As)[BK][BM] = reinterpret_cast<float (*)[BK][BM]>(a_storage);
    float (*Bs)[BK][BN] = reinterpret_cast<float (*)[BK][BN]>(b_storage);

    // Yieldable launches only (y is null otherwise, and this costs one comparison).
    if (xsched_block_begin(y) < 0) return;

    // A one-dimensional grid, channel tiles fastest: the blocks running at one time share their
    // pixel tiles, so each input pixel tile comes from DRAM once and then from L2 for the other
    // channel tiles (the weights, at most a few MB per layer, stay in L2 anyway). With pixel
    // tiles fastest, a layer would stream its whole input from DRAM once per channel tile.
    const int tid = threadIdx.x;
    const int m_tiles = (Cout + BM - 1) / BM;
    const int m0 = (block % m_tiles) * BM;
    const int n0 = (block / m_tiles) * BN;
    const int K = C * KH * KW;
    const int KHW = KH * KW;
    const int OHW = OH * OW;
    const int HW = H * W;
    const int N = batch * OHW;

    // This thread's load positions: one slice row, fixed columns.
    const int a_row = tid / A_COLS;
    const int a_col = tid % A_COLS;
    const int b_row = tid / B_COLS;
    const int b_col = tid % B_COLS;

    // Per X column: where its image starts and the top-left input pixel of its window.
    long long b_image[B_PER];
    int b_ih0[B_PER];
    int b_iw0[B_PER];
    bool b_valid[B_PER];
#pragma unroll
    for (int j = 0; j < B_PER; j++) {
        int n = n0 + b_col + j * B_COLS;
        b_valid[j] = n < N;
        int nn = b_valid[j] ? n : 0;
        int b = nn / OHW;
        int pix = nn - b * OHW;
        int oh = pix / OW;
        int ow = pix - oh * OW;
        b_image[j] = (long long) b * C * HW;
        b_ih0[j] = oh * stride - pad;
        b_iw0[j] = ow * stride - pad;
    }

    float a_next[A_PER];
    float b_next[B_PER];

    // Fetches K slice `slice` from global memory into a_next / b_next (zero outside the bounds).
    auto fetch = [&](int slice) {
        const int ka = slice * BK + a_row;
#pragma unroll
        for (int j = 0; j < A_PER; j++) {
            int m = m0 + a_col + j * A_COLS;
            a_next[j] = (ka < K && m < Cout) ? wt[(long long) ka * Cout + m] : 0.0f;
        }
        const int kb = slice * BK + b_row;
        int ci, kh, kw;
        if (KHW == 1) {
            ci = kb; kh = 0; kw = 0;
        } else {
            ci = kb / KHW;
            int r = kb - ci * KHW;
            kh = r / KW;
            kw = r - kh * KW;
        }
#pragma unroll
        for (int j = 0; j < B_PER; j++) {
            int ih = b_ih0[j] + kh;
            int iw = b_iw0[j] + kw;
            bool inside = kb < K && b_valid[j] && ih >= 0 && ih < H && iw >= 0 && iw < W;
            b_next[j] = inside ? in[b_image[j] + (long long) ci * HW + ih * W + iw] : 0.0f;
        }
    };
    auto stash = [&](int buffer) {
#pragma unroll
        for (int j = 0; j < A_PER; j++) As[buffer][a_row][a_col + j * A_COLS] = a_next[j];
#pragma unroll
        for (int j = 0; j < B_PER; j++) Bs[buffer][b_row][b_col + j * B_COLS] = b_next[j];
    };

    Math math(tid);

    const int slices = (K + BK - 1) / BK;
    fetch(0);
    stash(0);
    __syncthreads();
    for (int s = 0; s < slices; s++) {
        if (s > 0 && s % XSCHED_CONV_YIELD_EVERY == 0 && xsched_yield_requested(y)) {
            xsched_block_yield(y, 0); // nothing written yet: start over when relaunched
            return;
        }
        const int cur = s & 1;
        if (s + 1 < slices) fetch(s + 1);
        math.multiply(As[cur], Bs[cur]);
        // The other buffer was last read in the previous iteration, which every thread has
        // finished (it passed the barrier below), so it can be overwritten now.
        if (s + 1 < slices) stash(cur ^ 1);
        __syncthreads();
    }

    // Epilogue: bias, optional residual, optional ReLU; one pixel -> (b, pix) division per column.
    constexpr int ROWS = Math::ROWS;
    constexpr int COLS = Math::COLS;
    long long out_base[COLS];
    bool out_valid[COLS];
#pragma unroll
    for (int j = 0; j < COLS; j++) {
        int n = n0 + math.col(j);
        out_valid[j] = n < N;
        int b = n / OHW;
        out_base[j] = (long long) b * Cout * OHW + (n - b * OHW);
    }
    const bool relu = (flags & CONV_FLAG_RELU) != 0;
    const bool add_residual = (flags & CONV_FLAG_RESIDUAL) != 0;
#pragma unroll
    for (int i = 0; i < ROWS; i++) {
        int co = m0 + math.row(i);
        if (co >= Cout) continue;
        float bco = bias[co];
#pragma unroll
        for (int j = 0; j < COLS; j++) {
            if (!out_valid[j]) continue;
            long long idx = out_base[j] + (long long) co * OHW;
            float v = math.value(i, j) + bco;
            if (add_residual) v += residual[idx];
            if (relu) v = fmaxf(v, 0.0f);
            out[idx] = v;
        }
    }
    xsched_block_end(y);
}

// 128 x 128 output tiles, 8 x 8 per thread, K slices of 8: 64 FMAs per 4 shared-memory vector
// loads per k step, the ratio that keeps an SM's FP32 pipes fed. For layers with enough tiles to
// fill the GPU (ResNet-50 at large batch: every layer).
extern "C" __global__ void __launch_bounds__(256)
conv2d_igemm_128x128(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                     const float* __restrict__ residual, float* __restrict__ out,
                     int batch, int C, int H, int W, int Cout, int OH, int OW,
                     int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_implicit_gemm<128, 128, 8, FmaMath<128, 128, 8, 8, 8>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                  OH, OW, KH, KW, stride, pad, flags,
                                                                  xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

// The same, yieldable: launched whole through CommandQueue.launchYieldable.
extern "C" __global__ void __launch_bounds__(256)
conv2d_igemm_128x128_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                           const float* __restrict__ residual, float* __restrict__ out,
                           int batch, int C, int H, int W, int Cout, int OH, int OW,
                           int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_implicit_gemm<128, 128, 8, FmaMath<128, 128, 8, 8, 8>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                  OH, OW, KH, KW, stride, pad, flags, (int) blockIdx.x,
                                                                  XSCHED_YIELD_CONTEXT);
}

// 64 x 64 output tiles, 4 x 4 per thread, K slices of 16: four times the blocks of the large
// tile for the same layer, for small layers (batch 1) that would otherwise leave SMs idle.
extern "C" __global__ void __launch_bounds__(256)
conv2d_igemm_64x64(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                   const float* __restrict__ residual, float* __restrict__ out,
                   int batch, int C, int H, int W, int Cout, int OH, int OW,
                   int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_implicit_gemm<64, 64, 16, FmaMath<64, 64, 16, 4, 4>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                OH, OW, KH, KW, stride, pad, flags,
                                                                xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256)
conv2d_igemm_64x64_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_implicit_gemm<64, 64, 16, FmaMath<64, 64, 16, 4, 4>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                OH, OW, KH, KW, stride, pad, flags, (int) blockIdx.x,
                                                                XSCHED_YIELD_CONTEXT);
}

// Max pooling, one thread per output element. Padding never wins (PyTorch pads with -inf): the
// window starts from the lowest float and only in-image elements compete.
// `block` is the logical block: blockIdx.x, or one of a persistent block's turns.
__device__ __forceinline__ void max_pool_element(const float* __restrict__ in, float* __restrict__ out,
                                                 int batch, int C, int H, int W, int OH, int OW,
                                                 int kernel, int stride, int pad, long long block) {
    long long idx = block * blockDim.x + threadIdx.x;
    long long total = (long long) batch * C * OH * OW;
    if (idx >= total) return;
    int ow = (int) (idx % OW);
    long long t = idx / OW;
    int oh = (int) (t % OH);
    long long plane = t / OH;                       // b * C + c
    const float* src = in + plane * H * W;
    float best = -3.402823466e+38f;
    int ih0 = oh * stride - pad;
    int iw0 = ow * stride - pad;
    for (int kh = 0; kh < kernel; kh++) {
        int ih = ih0 + kh;
        if (ih < 0 || ih >= H) continue;
        for (int kw = 0; kw < kernel; kw++) {
            int iw = iw0 + kw;
            if (iw < 0 || iw >= W) continue;
            best = fmaxf(best, src[ih * W + iw]);
        }
    }
    out[idx] = best;
}

extern "C" __global__ void __launch_bounds__(256)
max_pool2d(const float* __restrict__ in, float* __restrict__ out,
           int batch, int C, int H, int W, int OH, int OW, int kernel, int stride, int pad) {
    max_pool_element(in, out, batch, C, H, W, OH, OW, kernel, stride, pad, blockIdx.x);
}

// The yieldable twin (YieldableKernels): the same grid, a block is a few microseconds of work at
// most, so the entry check alone bounds how long a raised flag waits for it, and a block that did
// not start runs in the relaunch. ResNet-50 b1024's max pool takes 1.86 ms on an H200, the longest
// kernel of the batch model that could not stop (docs/results.md, round 8).
extern "C" __global__ void __launch_bounds__(256)
max_pool2d_yield(const float* __restrict__ in, float* __restrict__ out,
                 int batch, int C, int H, int W, int OH, int OW, int kernel, int stride, int pad,
                 XSCHED_YIELD_PARAMS) {
    xsched_yield_t y = XSCHED_YIELD_CONTEXT;
    if (xsched_block_begin(y) < 0) return;
    max_pool_element(in, out, batch, C, H, W, OH, OW, kernel, stride, pad, blockIdx.x);
    xsched_block_end(y);
}

// Checks of the persistent max pool: every this many of a block's turns (about 2.4 us each at
// ResNet-50 b1024 on the H200: 1.86 ms for 760 turns per resident block). With dynamic
// assignment, also the logical blocks of a claimed tile, and so how often a block pays a claim (a
// flag read, an atomic and two barriers, in which it computes nothing), against how long a stop
// can wait for the next check (about 40 us at 16, 10 us at 4; the pool is 1.4% of the batch
// model's time). Measured on the H200 (round 26, 2026-12-04, RunResNet resnet50 1024
// --compare-yield --layers): the twin 16.2% over the plain max pool at 16 (0.30 ms an iteration),
// 26.5% at 4 (0.49 ms; the one-tile-per-block twin: 20.3%); xsched-hpf 180 s at 16: HP
// P99/P99.9 1.63/1.78 ms, as round 24's 1.62/1.81 at 4. The CPU emulation compiles it with 4,
// for its small pools.
#ifndef XSCHED_POOL_CHECK_EVERY
#define XSCHED_POOL_CHECK_EVERY 16
#endif

// How the persistent twins (here and in conv_tf32.hip) assign their tiles to their blocks.
// 0, static: block b takes tiles b, b + gridDim.x, ..., and its yield state is the turn to resume
// at. That assumes every block is resident from the start: a late block runs its whole share after
// the others, and at the end the blocks' shares differ by a tile of uneven cost.
// 1, dynamic: a block claims its next tile from the kernel's counter in device memory, which its
// relaunches after a yield keep (xsched_claim_tile), so a block that starts late finds fewer tiles
// left and the blocks end together. Its yield state is then the tile it was stopped in plus one
// (0: none), which its relaunch redoes before it claims more; a tile writes its output only at its
// end, so redoing it is exact. ResNetKernels.source() defines it (ResNetKernels.persistDynamic,
// dynamic by default: on the H200, ResNet-50 b1024's persistent twins ran at 95.2% of the plain
// kernels' rate this way against 93.2% static, round 24 of 2026-12-03).
#ifndef XSCHED_PERSIST_DYNAMIC
#define XSCHED_PERSIST_DYNAMIC 1
#endif

// The next tile for a persistent block with dynamic assignment: the leader takes it from the
// launch's tile counter (zero before the kernel's first launch, kept across its relaunches) and the
// block learns it through shared memory. -1 when the stop flag is up: the flag is read first, so
// that a stopping block claims nothing it would have to hand back. All threads call it; its first
// barrier also ends every thread's use of the previous tile (its claim, its shared memory).
#if XSCHED_PERSIST_DYNAMIC
__device__ int xsched_claim_tile(int* counter, xsched_yield_t y) {
    __shared__ int claimed;
    if (__syncthreads_or(y.flag != 0 && xsched_block_leader() && *y.flag != 0)) return -1;
    if (xsched_block_leader()) claimed = atomicAdd(counter, 1);
    __syncthreads();
    return claimed;
}
#endif

// The persistent-grid twin (as conv_tf32.hip's conv2d_tf32_persistent): launched with as many
// blocks as the SMs hold (PersistentGrid), so that a suspend ends the kernel at its blocks' next
// check instead of dispatching the rest of 800,000 blocks (ResNet-50 b1024) that each read the
// flag and leave. Static (XSCHED_PERSIST_DYNAMIC 0): each block takes logical blocks blockIdx.x,
// blockIdx.x + gridDim.x, ... in turn, its yield state the turn to resume at; a turn is
// idempotent. Dynamic: a tile is XSCHED_POOL_CHECK_EVERY consecutive logical blocks, one claim
// (an atomic and a flag check) per tile; a tile has no check inside, so a block never stops in one
// and never has a tile to redo. `tile_counter` is the dynamic claims' counter (unused when static).
extern "C" __global__ void __launch_bounds__(256)
max_pool2d_persist(const float* __restrict__ in, float* __restrict__ out,
                   int batch, int C, int H, int W, int OH, int OW, int kernel, int stride, int pad,
                   int* tile_counter, XSCHED_YIELD_PARAMS) {
    xsched_yield_t y = XSCHED_YIELD_CONTEXT;
    const int from = xsched_block_begin(y);
    if (from < 0) return;
    const long long total = (long long) batch * C * OH * OW;
    const long long logical = (total + blockDim.x - 1) / blockDim.x;
#if XSCHED_PERSIST_DYNAMIC
    const long long tiles = (logical + XSCHED_POOL_CHECK_EVERY - 1) / XSCHED_POOL_CHECK_EVERY;
    for (;;) {
        const int tile = xsched_claim_tile(tile_counter, y);
        if (tile < 0) {
            xsched_block_yield(y, 0);   // nothing claimed: the relaunch claims again
            return;
        }
        if (tile >= tiles) break;
        const long long first = (long long) tile * XSCHED_POOL_CHECK_EVERY;
        const long long end = first + XSCHED_POOL_CHECK_EVERY < logical ? first + XSCHED_POOL_CHECK_EVERY : logical;
        for (long long b = first; b < end; b++) max_pool_element(in, out, batch, C, H, W, OH, OW, kernel, stride, pad, b);
    }
#else
    for (int i = from; blockIdx.x + (long long) i * gridDim.x < logical; i++) {
        if (i > from && (i - from) % XSCHED_POOL_CHECK_EVERY == 0 && xsched_yield_requested(y)) {
            xsched_block_yield(y, i);
            return;
        }
        max_pool_element(in, out, batch, C, H, W, OH, OW, kernel, stride, pad, blockIdx.x + (long long) i * gridDim.x);
    }
#endif
    xsched_block_end(y);
}

// Global average pooling: one thread per (image, channel) plane, reading the plane's `hw`
// consecutive floats. Neighbouring threads read neighbouring planes, so a warp's reads stay in a
// few cache lines per step; at 7 x 7 planes this is a fraction of a percent of a forward pass,
// not worth a block-wide reduction.
__device__ __forceinline__ void global_avg_pool_plane(const float* __restrict__ in, float* __restrict__ out,
                                                      int planes, int hw) {
    long long plane = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (plane >= planes) return;
    const float* src = in + plane * hw;
    float sum = 0.0f;
    for (int i = 0; i < hw; i++) sum += src[i];
    out[plane] = sum / (float) hw;
}

extern "C" __global__ void __launch_bounds__(256)
global_avg_pool(const float* __restrict__ in, float* __restrict__ out, int planes, int hw) {
    global_avg_pool_plane(in, out, planes, hw);
}

// The yieldable twin, as max_pool2d_yield: an entry check per block (0.17 ms at ResNet-50 b1024).
extern "C" __global__ void __launch_bounds__(256)
global_avg_pool_yield(const float* __restrict__ in, float* __restrict__ out, int planes, int hw, XSCHED_YIELD_PARAMS) {
    xsched_yield_t y = XSCHED_YIELD_CONTEXT;
    if (xsched_block_begin(y) < 0) return;
    global_avg_pool_plane(in, out, planes, hw);
    xsched_block_end(y);
}
