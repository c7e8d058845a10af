// Tensor-core convolutions: the implicit GEMM of resnet_kernels.hip (same arguments, same
// NCHW layout, same grid: a one-dimensional grid of BM x BN output tiles, channel tiles fastest),
// multiplied by TF32 tensor-core instructions with FP32 accumulation, as cuDNN does for PyTorch's
// default convolutions (torch.backends.cudnn.allow_tf32 = True).
//
// NVIDIA sm_80 and newer only: mma.sync m16n8k8 TF32 and cp.async are PTX of compute capability
// 8.0. Everything else (AMD's hiprtc, an older NVIDIA GPU) skips this file, and ConvPrecision
// keeps such devices on the FP32 kernels. KernelEmulationTest compiles it on the CPU with
// XSCHED_TC_EMULATED defined: its shim then supplies the five primitives below (an operand
// rounding, a warp-wide mma, and three cp.async steps), so that the same source runs there.
//
// Precision. Each operand is rounded to TF32 (10 explicit mantissa bits, round to nearest, ties
// away: cvt.rna) as the tensor cores read it; products and sums are FP32. ConvPrecision holds the
// error bound the tests derive from this.
//
// Pipeline. 256 threads (8 warps, 2 along M x 4 along N, each warp owning a (BM/2) x (BN/4)
// sub-tile as MT x NT mma tiles of 16 x 8). K advances in slices of 16: both operand slices go
// through shared memory by cp.async (no registers spent on staging), STAGES deep, so the copies
// of a slice are in flight while the STAGES - 1 slices before it are multiplied; one barrier per
// slice. Rows are padded by 8 floats so that a warp's fragment reads (8 columns x 4 rows k) land
// in 32 different banks. Two stages, measured on the H200 (2026-12-01): three stages of 128 x 128
// (48 KB with rows swizzled instead of padded) and four of the smaller tiles made the gathering
// layers 10-25% slower and ResNet-18 at batch 1 27% slower, the 1x1 layers no faster.
//
// Loads. Weights (Wt, K-major [K][Cout]) go in 16-byte copies when Cout is a multiple of 4 (every
// ResNet layer), else in 4-byte ones. The input goes in 16-byte copies for 1x1, stride 1,
// unpadded convolutions with H*W a multiple of 4 (there the GEMM's B slice row is 4 consecutive
// pixels of one image), else as a 4-byte gather with zero fill (im2col done on the fly).
//
// Yield. A block checks every XSCHED_TC_YIELD_EVERY slices (16 unless ResNetKernels says
// otherwise: a tuning knob, see ResNetKernels.tf32YieldEvery), reading the flag a slice ahead and
// sharing it at the loop's own barrier, so that a check costs no barrier and no wait of its own.
// Asked to stop, it leaves and its relaunch redoes the tile from the first slice (its output is
// written only at the end, so a tile is idempotent). An earlier version kept progress (raw
// accumulators saved into the block's output tile, resumed mid-reduction): measured on the H200
// (2026-12-01), its extra live registers spilled (ptxas: 372 bytes of spill stores in 128 x 128
// against the plain kernel's 144; 44 and 136 bytes in the two others, against none) and the
// yieldable ResNet-50 b1024 ran at 79.8% of the plain kernels' speed with nothing ever stopping;
// restarting, the variants spill as the plain ones do (148 against 128 bytes in 128 x 128, none
// elsewhere) and run at 93.0%. A stop loses the running blocks' partial tiles, a few tens of
// microseconds of the GPU at 20 stops a second.
//
// Offsets are 32-bit: ResNetKernels.convArgs refuses a tensor-core launch whose input or output
// holds 2^31 floats or more (ResNet-50 at batch 1024 peaks at 822 million).
#if defined(XSCHED_TC_EMULATED) || (defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800)
#ifndef XSCHED_TC_YIELD_EVERY
#define XSCHED_TC_YIELD_EVERY 16   // ResNetKernels.source() defines it (ResNetKernels.DEFAULT_TF32_YIELD_EVERY)
#endif
#if XSCHED_TC_YIELD_EVERY < 2
#error "XSCHED_TC_YIELD_EVERY must be at least 2 (one barrier between two publications of the flag)"
#endif
#ifndef XSCHED_TC_FLAG_LEAD
#define XSCHED_TC_FLAG_LEAD 1      // ResNetKernels.source() defines it (ResNetKernels.DEFAULT_TF32_FLAG_LEAD)
#endif
#if XSCHED_TC_FLAG_LEAD < 1 || XSCHED_TC_FLAG_LEAD >= XSCHED_TC_YIELD_EVERY
#error "XSCHED_TC_FLAG_LEAD must be at least 1 and below XSCHED_TC_YIELD_EVERY (the read precedes its own check)"
#endif
#ifndef XSCHED_TC_CHUNKED
#define XSCHED_TC_CHUNKED 0        // ResNetKernels.source() defines it (ResNetKernels.tf32Chunked)
#endif
#ifndef XSCHED_TC_PERSIST_OPAQUE
#define XSCHED_TC_PERSIST_OPAQUE 1 // ResNetKernels.source() defines it (ResNetKernels.persistOpaque)
#endif
// A value the compiler must assume changed here: nothing derived from it moves above this point.
__device__ __forceinline__ int xsched_opaque(int x) {
    asm volatile("" : "+r"(x));
    return x;
}
#ifndef XSCHED_TC_READ_FLAG
#define XSCHED_TC_READ_FLAG(y) (*(y).flag)   // the CPU emulation counts these reads
#endif

#ifndef XSCHED_TC_EMULATED
// The operand as the tensor cores take it: TF32 bits (round to nearest, ties away from zero).
__device__ __forceinline__ unsigned xsched_tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
}
// d += a * b for one 16 x 8 x 8 tile held by the warp (PTX ISA, "Matrix Fragments for
// mma.m16n8k8", .tf32): lane = 4 * group + thread_in_group; a = A[g][t], A[g+8][t], A[g][t+4],
// A[g+8][t+4]; b = B[t][g], B[t+4][g]; d = D[g][2t], D[g][2t+1], D[g+8][2t], D[g+8][2t+1].
__device__ __forceinline__ void xsched_mma_tf32(float* d, const unsigned* a, const unsigned* b) {
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}
__device__ __forceinline__ unsigned xsched_shared_address(const void* p) {
    unsigned r;
    asm("{ .reg .u64 t; cvta.to.shared.u64 t, %1; cvt.u32.u64 %0, t; }" : "=r"(r) : "l"(p));
    return r;
}
// Asynchronous copies global -> shared of `bytes` (4 or 16); zeros instead when !valid (src is
// then not read, but must still be a valid address).
template <int BYTES>
__device__ __forceinline__ void xsched_cp_async(float* dst, const float* src, bool valid) {
    if (BYTES == 16) {
        asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" :: "r"(xsched_shared_address(dst)), "l"(src),
                     "r"(valid ? 16 : 0));
    } else {
        asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;" :: "r"(xsched_shared_address(dst)), "l"(src),
                     "r"(valid ? 4 : 0));
    }
}
// A load through L2 only (ld.global.cg): the split-K combine reads partial sums that other SMs
// wrote during this kernel, which a line cached in this SM's L1 would not show.
__device__ __forceinline__ float xsched_load_cg(const float* p) {
    float v;
    asm volatile("ld.global.cg.f32 %0, [%1];" : "=f"(v) : "l"(p));
    return v;
}
__device__ __forceinline__ void xsched_cp_async_commit() {
    asm volatile("cp.async.commit_group;");
}
// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void xsched_cp_async_wait() {
    asm volatile("cp.async.wait_group %0;" :: "n"(N));
}
#endif

template <int BM, int BN, int STAGES_>
struct TcTile {
    static constexpr int THREADS = 256;
    static constexpr int BK = 16;
    static constexpr int STAGES = STAGES_;
    static constexpr int WARPS_M = 2;
    static constexpr int WARPS_N = 4;
    static constexpr int WM = BM / WARPS_M;        // rows of a warp's sub-tile
    static constexpr int WN = BN / WARPS_N;        // columns of a warp's sub-tile
    static constexpr int MT = WM / 16;             // mma tiles along M per warp
    static constexpr int NT = WN / 8;              // mma tiles along N per warp
    static constexpr int A_PER = BK * BM / THREADS;    // 4-byte weight copies per thread and slice
    static constexpr int A_COLS = BM / A_PER;
    static constexpr int A_VEC = BK * BM / 4 / THREADS; // 16-byte weight copies per thread and slice
    static constexpr int B_PER = BK * BN / THREADS;    // 4-byte input copies (gather)
    static constexpr int B_COLS = BN / B_PER;
    static constexpr int B_VEC = BK * BN / 4 / THREADS; // 16-byte input copies (1x1 stride 1)
    static_assert(THREADS / A_COLS == BK && THREADS / B_COLS == BK, "one slice row per thread");
    static_assert(A_VEC >= 1 && B_VEC >= 1 && MT >= 1 && NT >= 1, "tile too small");
    static constexpr int PAD = 8;
    static constexpr int STAGE_FLOATS = STAGES * BK * (BM + BN + 2 * PAD);   // every stage of both operands, padded
    static_assert(STAGES >= 2 && STAGE_FLOATS * 4 <= 48 * 1024, "static shared memory is 48 KB");
};

// One K slice of the warp's sub-tile: fragments from the stage's shared memory, rounded to TF32,
// into MT x NT mma tiles. (The managed loop of XSCHED_TC_CHUNKED calls it; the other loop still
// spells it out, so that the plain kernels compile exactly as they were measured.)
template <typename T, int AS, int BS>
__device__ __forceinline__ void tc_multiply_slice(float (&acc)[T::MT][T::NT][4], const float* as, const float* bs,
                                                  int wm0, int wn0, int group, int quad) {
#pragma unroll
    for (int kk = 0; kk < T::BK; kk += 8) {
        unsigned a[T::MT][4];
        unsigned b[T::NT][2];
#pragma unroll
        for (int i = 0; i < T::MT; i++) {
            const float* p = as + (kk + quad) * AS + wm0 + 16 * i + group;
            a[i][0] = xsched_tf32(p[0]);
            a[i][1] = xsched_tf32(p[8]);
            a[i][2] = xsched_tf32(p[4 * AS]);
            a[i][3] = xsched_tf32(p[4 * AS + 8]);
        }
#pragma unroll
        for (int j = 0; j < T::NT; j++) {
            const float* p = bs + (kk + quad) * BS + wn0 + 8 * j + group;
            b[j][0] = xsched_tf32(p[0]);
            b[j][1] = xsched_tf32(p[4 * BS]);
        }
#pragma unroll
        for (int i = 0; i < T::MT; i++)
#pragma unroll
            for (int j = 0; j < T::NT; j++) xsched_mma_tf32(acc[i][j], a[i], b[j]);
    }
}

// Whether a convolution's input can go in 16-byte copies (1x1, stride 1, unpadded, H*W a
// multiple of 4: a GEMM B slice row is then 4 consecutive pixels of one image).
__device__ __forceinline__ bool xsched_vector_loads(int H, int W, int KH, int KW, int stride, int pad) {
    return KH * KW == 1 && stride == 1 && pad == 0 && (H * W) % 4 == 0;
}
// Whether a convolution that cannot take vector loads is pointwise (1x1, unpadded, any stride):
// its gather then needs one offset per column and no window bounds.
__device__ __forceinline__ bool xsched_point_loads(int KH, int KW, int pad) {
    return KH * KW == 1 && pad == 0;
}

// What conv2d_tf32 did with its tile.
#define XSCHED_TILE_WRITTEN 0   // computed and written
#define XSCHED_TILE_STOPPED 1   // left at a check: nothing written, the relaunch redoes it
#define XSCHED_TILE_SKIPPED 2   // finished in an earlier launch (one tile per block only)

// A tile's shared memory, one allocation per tile shape: the tile's copies for each kind of input
// load (LOADS, below) are instantiations of their own, and shared arrays declared in each would
// each take their own space (twice the stages, over the 48 KB of static shared memory).
template <int BM, int BN, int STAGES>
__device__ __forceinline__ Float4* tc_shared_stages() {
    typedef TcTile<BM, BN, STAGES> T;
    __shared__ Float4 storage[T::STAGE_FLOATS / 4];
    return storage;
}
template <int BM, int BN, int STAGES>
__device__ __forceinline__ int* tc_shared_stop_word() {
    __shared__ int word;
    return &word;
}
// The point loads' per-column input offsets (XSCHED_LOADS_POINT), column b_col + j * B_COLS at
// b_col * B_PER + j, so that a thread reads its columns' offsets as whole 16-byte words.
struct alignas(16) Int4 { int x, y, z, w; };
template <int BM, int BN, int STAGES>
__device__ __forceinline__ int* tc_shared_point_offsets() {
    __shared__ Int4 offsets[BN / 4];
    return reinterpret_cast<int*>(offsets);
}

// Split K: the K slices of each split but the last (which may have fewer).
template <int BK>
__device__ __forceinline__ int tc_split_chunk(int K, int splits) {
    return ((K + BK - 1) / BK + splits - 1) / splits;
}

// Split K's combine, after a block's slices: it writes its accumulators to its split's partial
// tile (partials[(tile * splits + split) * BM * BN], in the threads' fragment order, so that each
// thread writes and later reads its own elements, coalesced), and the tile's last block to arrive
// (arrivals[tile] counts them; the last sets it back to 0 for the next launch) adds every split's
// partial in split order, its own included, into its accumulators and goes on to the epilogue.
// The sum's order never depends on which block came last, so the output is the same bit for bit
// from run to run and however the launch is sliced. Returns whether this block holds the sum.
template <typename T>
__device__ __forceinline__ bool tc_split_k_combine(float (&acc)[T::MT][T::NT][4], float* __restrict__ partials,
                                                   int* arrivals, int tile, int split, int splits, int tid, int& word) {
    if (splits <= 1) return true;
    constexpr int TILE = T::MT * T::NT * 4 * T::THREADS;
    float* mine = partials + ((size_t) tile * splits + split) * TILE;
#pragma unroll
    for (int i = 0; i < T::MT; i++)
#pragma unroll
        for (int j = 0; j < T::NT; j++)
#pragma unroll
            for (int e = 0; e < 4; e++) mine[((i * T::NT + j) * 4 + e) * T::THREADS + tid] = acc[i][j][e];
    __threadfence();                   // this thread's partial is visible to every SM before it counts
    __syncthreads();                   // every thread's is
    if (tid == 0) {
        const int arrived = atomicAdd(arrivals + tile, 1);
        const bool last = arrived == splits - 1;
        if (last) arrivals[tile] = 0;  // ready for the next launch (kernels of a stream do not overlap)
        word = last ? 1 : 0;
    }
    __syncthreads();
    if (word == 0) return false;
    __threadfence();                   // the other blocks' partials, counted before ours, are read after
#pragma unroll
    for (int i = 0; i < T::MT; i++)
#pragma unroll
        for (int j = 0; j < T::NT; j++)
#pragma unroll
            for (int e = 0; e < 4; e++) acc[i][j][e] = 0.0f;
    for (int s = 0; s < splits; s++) {
        const float* part = partials + ((size_t) tile * splits + s) * TILE;
#pragma unroll
        for (int i = 0; i < T::MT; i++)
#pragma unroll
            for (int j = 0; j < T::NT; j++)
#pragma unroll
                for (int e = 0; e < 4; e++) acc[i][j][e] += xsched_load_cg(part + ((i * T::NT + j) * 4 + e) * T::THREADS + tid);
    }
    return true;
}

// LOADS says which input loads the tile is compiled with: XSCHED_LOADS_VECTOR (the caller has
// checked xsched_vector_loads), XSCHED_LOADS_GATHER, or XSCHED_LOADS_EITHER (both, chosen at run
// time). The plain kernels compile one tile of each kind and pick once per launch
// (conv2d_tf32_either): in one tile with both, the loop over K slices holds the gather's
// per-column offsets (3 x B_PER registers) on the vector path too. Measured on the H200 (round 25,
// 2026-12-03, ResNet-50 b1024, RunResNet --layers): the plain forward 128.7 ms against 131.6-132.3
// (layers 2 to 4 2-8% faster, layer1's 64 -> 256 1x1 convolutions 1% slower; ptxas, sm_90:
// 104 bytes of spill stores in 128 x 128 against 144). The yieldable twins of conv2d_tf32_<tile>_yield
// and _persist keep one tile with both (EITHER): split the same way, inside one kernel, the
// persistent twins spilled more, not less (ncu on layer1.0.conv3: local-memory requests 6.8 M
// against 4.0 M) and the yieldable forward took 156.8 ms against 138.4. The 128 x 128 tile's
// kernels by kind (XSCHED_LOADS_POINT and the kernels at the end of this file) split them across
// kernels instead, chosen on the host.
#define XSCHED_LOADS_EITHER 0
#define XSCHED_LOADS_VECTOR 1
#define XSCHED_LOADS_GATHER 2
#define XSCHED_LOADS_POINT 3

// One output tile, `block`. With PERSISTENT false the block owns this one tile and keeps its yield
// state itself (entry, stop, end). With PERSISTENT true it is one of several tiles of a block of a
// persistent grid (conv2d_tf32_persistent): the caller keeps the state, and the tile only reads
// the flag at its start and at its checks and says whether it stopped.
// SPLIT_K (plain kernels only, conv2d_tf32_64x64_splitk): the block computes slices
// [split * chunk, (split + 1) * chunk) of its tile's K reduction, chunk = ceil(slices / splits), and
// the tile's last block to finish sums the splits (tc_split_k_combine) and writes the output.
template <int BM, int BN, int STAGES, bool PERSISTENT = false, int LOADS = XSCHED_LOADS_EITHER, bool SPLIT_K = false>
__device__ __forceinline__ int conv2d_tf32(
        const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
        const float* __restrict__ residual, float* __restrict__ out,
        int batch, int C, int H, int W, int Cout, int OH, int OW,
        int KH, int KW, int stride, int pad, int flags, int block, xsched_yield_t y,
        int split = 0, int splits = 1, float* __restrict__ partials = nullptr, int* arrivals = nullptr) {
    typedef TcTile<BM, BN, STAGES> T;
    constexpr int BK = T::BK;
    // A persistent block's tiles: the integer arguments made opaque at each tile's start, so that
    // the compiler cannot hoist what it derives from them out of the block's loop over tiles and
    // hold it in registers across tiles. Measured on the H200 (round 20 c, 2026-12-03, ResNet-50
    // b1024 through a never-suspended XQueue, 10 x 3 iterations): 93.3% of the plain kernels' rate
    // this way; 89.2% with the tile inlined as is (ptxas: 1008 bytes of spill loads in 128 x 128
    // against 708 this way); 91.1% with the tile a function of its own (20 bytes of spills, but a
    // call per tile and its arguments in registers). The one-tile-per-block kernels: 96.8% (round 20 a).
    // The 128 x 128 twins by kind of load (below) have registers to spare: compiled without the
    // opaque copies (XSCHED_TC_PERSIST_OPAQUE 0) the vector and point twins spill nothing at all,
    // where with them they reload 28 and 0 values per tile (ptxas 11.8's code, disassembled);
    // round 26 measured the two-kind twins without them at 7.7% over the plain kernels against
    // 8.1%; by kind, the batch model beside the online one kept 94.6% of its rate alone without them
    // against 93.4% with (round 30). ResNetKernels.persistOpaque() chooses: without the copies
    // unless the twins that take every kind of load run (xsched.resnet.splitLoads=false).
    if (PERSISTENT && XSCHED_TC_PERSIST_OPAQUE) {
        batch = xsched_opaque(batch); C = xsched_opaque(C); H = xsched_opaque(H); W = xsched_opaque(W);
        Cout = xsched_opaque(Cout); OH = xsched_opaque(OH); OW = xsched_opaque(OW); KH = xsched_opaque(KH);
        KW = xsched_opaque(KW); stride = xsched_opaque(stride); pad = xsched_opaque(pad); flags = xsched_opaque(flags);
    }
    constexpr int AS = BM + T::PAD;   // row stride of the weight stage
    constexpr int BS = BN + T::PAD;   // row stride of the input stage
    // One allocation: the epilogue reuses all of it. A tile with both kinds of loads declares its
    // own; the one-kind copies share theirs (tc_shared_stages). The twins' tiles were measured
    // slower with the shared helper (round 25, 1x1 layers 2-6%), the plain kernels faster.
    Float4* storage;
    int* stop_word_at;                // the leader's latest read of the stop flag, at a check
    if constexpr (LOADS == XSCHED_LOADS_EITHER) {
        __shared__ Float4 own_storage[T::STAGE_FLOATS / 4];
        __shared__ int own_stop_word;
        storage = own_storage;
        stop_word_at = &own_stop_word;
    } else {
        storage = tc_shared_stages<BM, BN, STAGES>();
        stop_word_at = tc_shared_stop_word<BM, BN, STAGES>();
    }
    int& stop_word = *stop_word_at;
    float* As = reinterpret_cast<float*>(storage);
    float* Bs = As + T::STAGES * BK * AS;

    // A block that is asked to stop starts its tile over when relaunched: keeping
    // progress (saving the accumulators, resuming mid-reduction) made the yieldable variants need
    // more than the 128 registers of two blocks per SM, and their spills cost 20-55% per layer on
    // the H200 (ptxas: 372 bytes of spill stores in 128 x 128 against the plain kernel's 144) even
    // when nothing ever stopped; a stop now loses at most the running blocks' partial tiles.
#if XSCHED_TC_CHUNKED
    // The entry's two reads (has this block finished in an earlier launch; is a stop raised) go
    // out now and are decided at the first checkpoint's barrier, after the first copies are
    // issued: no barrier and no wait of their own.
    int entry_state = 0;
    int entry_flag = 0;
    if (y.flag != 0 && threadIdx.x == 0) {
        entry_state = PERSISTENT ? 0 : y.state[xsched_block_linear()];
        entry_flag = XSCHED_TC_READ_FLAG(y);
    }
#else
    if (!PERSISTENT && xsched_block_begin(y) < 0) return XSCHED_TILE_SKIPPED;
    if (PERSISTENT && xsched_yield_requested(y)) return XSCHED_TILE_STOPPED;
#endif

    const int tid = threadIdx.x;
    const int lane = tid % 32;
    const int warp = tid / 32;
    const int group = lane / 4;           // the mma fragment's row (A, D) or column (B) within 8
    const int quad = lane % 4;            // its k (A, B) or column pair (D) within 4
    const int wm0 = (warp / T::WARPS_N) * T::WM;
    const int wn0 = (warp % T::WARPS_N) * T::WN;
    const int m_tiles = (Cout + BM - 1) / BM;
    const int m0 = (block % m_tiles) * BM;
    const int n0 = (block / m_tiles) * BN;
    const int K = C * KH * KW;
    const int KHW = KH * KW;
    const int OHW = OH * OW;
    const int HW = H * W;
    const int N = batch * OHW;
    // This block's K slices: slice0, slice0 + 1, ..., slice0 + slices - 1 (all of them but with
    // SPLIT_K; a split past the end, which the host never plans, has none and adds zeros).
    const int slice0 = SPLIT_K ? split * tc_split_chunk<BK>(K, splits) : 0;
    const int slices = SPLIT_K ? max(0, min((K + BK - 1) / BK - slice0, tc_split_chunk<BK>(K, splits))) : (K + BK - 1) / BK;
    const bool a_vector = Cout % 4 == 0;
    const bool b_vector = LOADS == XSCHED_LOADS_EITHER ? xsched_vector_loads(H, W, KH, KW, stride, pad)
                                                        : LOADS == XSCHED_LOADS_VECTOR;

    // Gather loads: this thread's slice row and, per column, the offset of the window's top-left
    // input element (outside the image where the window overhangs it) and the window's origin (an
    // origin far outside marks a column past the last pixel, so that it always reads zero).
    const int b_row = tid / T::B_COLS;
    const int b_col = tid % T::B_COLS;
    int b_base[LOADS == XSCHED_LOADS_POINT ? 1 : T::B_PER];
    int b_ih0[LOADS == XSCHED_LOADS_POINT ? 1 : T::B_PER];
    int b_iw0[LOADS == XSCHED_LOADS_POINT ? 1 : T::B_PER];
    // Point loads keep their offsets in shared memory instead: in registers they made the
    // yieldable twin spill inside its K loop (ptxas 11.8's code, disassembled: 11 reloads a slice),
    // where its loop now reloads nothing. Each thread writes the offsets of its own columns (the
    // 16 threads of a column write the same values) and reads only those, so that no barrier is
    // needed before its first read; a persistent block's next tile writes them after the claim's
    // barrier, when every thread has issued its last copies of the tile before. The plain point
    // kernel pays for it: 5% on the H200 against its offsets in registers, where it spilled nothing
    // (round 29 b against a); its twins gained more (one-tile layer4 1x1s 21% -> 15% over it).
    int* const point_offsets = LOADS == XSCHED_LOADS_POINT ? tc_shared_point_offsets<BM, BN, STAGES>() : nullptr;
    // Vector loads (1x1 stride 1): 4 consecutive pixels of one image per copy.
    const int v_col = tid % (BN / 4);
    const int v_row = tid / (BN / 4);
    int v_base = 0;
    bool v_valid = false;
    if (b_vector) {
        int n = n0 + v_col * 4;
        v_valid = n < N;                  // N is a multiple of 4 here, so all 4 are in range
        int b = v_valid ? n / OHW : 0;
        v_base = b * C * HW + (n - b * OHW);
    } else {
#pragma unroll
        for (int j = 0; j < T::B_PER; j++) {
            int n = n0 + b_col + j * T::B_COLS;
            bool valid = n < N;
            int nn = valid ? n : 0;
            int b = nn / OHW;
            int pix = nn - b * OHW;
            int oh = pix / OW;
            int ow = pix - oh * OW;
            if constexpr (LOADS == XSCHED_LOADS_POINT) {
                point_offsets[b_col * T::B_PER + j] = valid ? b * C * HW + oh * stride * W + ow * stride : -1;   // -1: past the last pixel
            } else {
                b_ih0[j] = valid ? oh * stride - pad : -(1 << 28);
                b_iw0[j] = ow * stride - pad;
                b_base[j] = b * C * HW + (oh * stride - pad) * W + b_iw0[j];
            }
        }
    }

    // Issues the copies of this block's K slice `slice` (K slice slice0 + slice) into stage `stage`.
    auto load = [&](int slice, int stage) {
        float* as = As + stage * BK * AS;
        float* bs = Bs + stage * BK * BS;
        // Added here, not at the calls: there the plain kernels compiled differently (ptxas: 2-4
        // registers more or fewer) although slice0 is 0 for them.
        const int k0 = (SPLIT_K ? slice0 + slice : slice) * BK;
        if (a_vector) {
#pragma unroll
            for (int i = 0; i < T::A_VEC; i++) {
                int e = tid + i * T::THREADS;
                int r = e / (BM / 4);
                int c = (e % (BM / 4)) * 4;
                int k = k0 + r;
                bool valid = k < K && m0 + c < Cout;
                xsched_cp_async<16>(as + r * AS + c, valid ? wt + k * Cout + m0 + c : wt, valid);
            }
        } else {
            const int a_row = tid / T::A_COLS;
            const int a_col = tid % T::A_COLS;
            const int k = k0 + a_row;
#pragma unroll
            for (int j = 0; j < T::A_PER; j++) {
                int m = m0 + a_col + j * T::A_COLS;
                bool valid = k < K && m < Cout;
                xsched_cp_async<4>(as + a_row * AS + a_col + j * T::A_COLS, valid ? wt + k * Cout + m : wt, valid);
            }
        }
        if (b_vector) {
#pragma unroll
            for (int i = 0; i < T::B_VEC; i++) {
                int r = v_row + i * (T::THREADS / (BN / 4));
                int ci = k0 + r;
                bool valid = v_valid && ci < K;
                xsched_cp_async<16>(bs + r * BS + v_col * 4, valid ? in + v_base + ci * HW : in, valid);
            }
        } else if constexpr (LOADS == XSCHED_LOADS_POINT) {
            static_assert(T::B_PER % 4 == 0, "whole 16-byte words of offsets");
            const int k = k0 + b_row;
            const int delta = k * HW;
            const Int4* mine = reinterpret_cast<const Int4*>(point_offsets + b_col * T::B_PER);
#pragma unroll
            for (int q = 0; q < T::B_PER / 4; q++) {
                const Int4 o = mine[q];
                const int offset[4] = {o.x, o.y, o.z, o.w};
#pragma unroll
                for (int e = 0; e < 4; e++) {
                    const int j = 4 * q + e;
                    bool valid = k < K && offset[e] >= 0;
                    xsched_cp_async<4>(bs + b_row * BS + b_col + j * T::B_COLS, valid ? in + (offset[e] + delta) : in, valid);
                }
            }
        } else {
            const int k = k0 + b_row;
            int ci, kh, kw;
            if (KHW == 1) {
                ci = k; kh = 0; kw = 0;
            } else {
                ci = k / KHW;
                int r = k - ci * KHW;
                kh = r / KW;
                kw = r - kh * KW;
            }
            const int delta = ci * HW + kh * W + kw;
#pragma unroll
            for (int j = 0; j < T::B_PER; j++) {
                int ih = b_ih0[j] + kh;
                int iw = b_iw0[j] + kw;
                bool valid = k < K && ih >= 0 && ih < H && iw >= 0 && iw < W;
                xsched_cp_async<4>(bs + b_row * BS + b_col + j * T::B_COLS, valid ? in + (b_base[j] + delta) : in, valid);
            }
        }
    };

    // Output positions of this thread's accumulators: acc[i][j][e] is row
    // wm0 + 16 i + group + 8 (e / 2), column wn0 + 8 j + 2 quad + (e % 2) of the tile.
    int out_base[T::NT][2];
#pragma unroll
    for (int j = 0; j < T::NT; j++)
#pragma unroll
        for (int e = 0; e < 2; e++) {
            int n = n0 + wn0 + 8 * j + 2 * quad + e;
            int b = n / OHW;
            out_base[j][e] = n < N ? b * Cout * OHW + (n - b * OHW) : -1;
        }
    float acc[T::MT][T::NT][4];
#pragma unroll
    for (int i = 0; i < T::MT; i++)
#pragma unroll
        for (int j = 0; j < T::NT; j++)
#pragma unroll
            for (int e = 0; e < 4; e++) acc[i][j][e] = 0.0f;

    // Slices 0, 1, ... go to stages 0, 1, ..., STAGES - 1, 0, ...
#pragma unroll
    for (int i = 0; i < STAGES - 1; i++) {
        if (i < slices) load(i, i);
        xsched_cp_async_commit();        // possibly empty: one group per slice keeps the counting simple
    }
    // Stop-flag checks (managed launches only: y.flag is null in the plain variants, and all of
    // this compiles away there). The leader reads the flag one slice ahead, so that the read's
    // latency hides behind that slice's multiplications, and publishes it in shared memory before
    // the slice barrier every thread passes anyway: the whole block sees one answer after it,
    // without a barrier or a wait of the check's own. (The next publication comes at least one
    // barrier later, XSCHED_TC_YIELD_EVERY >= 2, so no thread still reads the previous one.)
#if XSCHED_TC_CHUNKED
    // Managed launches: K in chunks of XSCHED_TC_YIELD_EVERY slices, a checkpoint on each chunk's
    // first slice and nothing of the yield in the slices between, so that they run the plain
    // kernel's loop body. At a checkpoint the leader publishes what it read at the previous one
    // (at the first: the entry's reads) before the slice barrier, and reads the flag again for the
    // next; a stop therefore shows within two chunks. An experiment against the loop below, which
    // tests for a check on every slice (measure both with RunResNet --compare-yield and delete the
    // slower).
    if (y.flag != 0) {
        int flag_read = 0;
        for (int s0 = 0; s0 < slices; s0 += XSCHED_TC_YIELD_EVERY) {
            xsched_cp_async_wait<STAGES - 2>();
            if (tid == 0) {
                stop_word = s0 > 0 ? (flag_read != 0 ? 1 : 0)
                                   : (entry_state == XSCHED_BLOCK_DONE ? 2 : (entry_flag != 0 ? 1 : 0));
            }
            __syncthreads();
            const int word = stop_word;  // rewritten at the next checkpoint, at least one barrier later
            if (word != 0) {
                xsched_cp_async_wait<0>();
                if (word == 1 && !PERSISTENT) xsched_block_yield(y, 0);  // 2: finished in an earlier launch
                return word == 1 ? XSCHED_TILE_STOPPED : XSCHED_TILE_SKIPPED;
            }
            if (tid == 0) flag_read = XSCHED_TC_READ_FLAG(y);
            // The checkpoint's slice (its barrier is behind us), then the chunk's others.
            if (s0 + STAGES - 1 < slices) load(s0 + STAGES - 1, (s0 + STAGES - 1) % STAGES);
            xsched_cp_async_commit();
            tc_multiply_slice<T, AS, BS>(acc, As + (s0 % STAGES) * BK * AS, Bs + (s0 % STAGES) * BK * BS, wm0, wn0, group, quad);
            const int s1 = s0 + XSCHED_TC_YIELD_EVERY < slices ? s0 + XSCHED_TC_YIELD_EVERY : slices;
            for (int s = s0 + 1; s < s1; s++) {
                xsched_cp_async_wait<STAGES - 2>();  // this thread's copies of slice s have landed
                __syncthreads();                     // everyone's have, and everyone finished slice s - 1
                if (s + STAGES - 1 < slices) load(s + STAGES - 1, (s + STAGES - 1) % STAGES);
                xsched_cp_async_commit();
                tc_multiply_slice<T, AS, BS>(acc, As + (s % STAGES) * BK * AS, Bs + (s % STAGES) * BK * BS, wm0, wn0, group, quad);
            }
        }
    } else
#endif
    {
    int flag_ahead = 0;
    for (int s = 0; s < slices; s++) {
        const bool check = y.flag != 0 && s > 0 && s % XSCHED_TC_YIELD_EVERY == 0;
        xsched_cp_async_wait<STAGES - 2>();  // this thread's copies of slice s have landed
        if (check && tid == 0) stop_word = flag_ahead;
        __syncthreads();                     // everyone's have, and everyone finished slice s - 1
        if (check && stop_word != 0) {
            xsched_cp_async_wait<0>();   // no copy may land in shared memory after the block is gone
            if (!PERSISTENT) xsched_block_yield(y, 0);  // the relaunch redoes this tile from its first slice
            return XSCHED_TILE_STOPPED;
        }
        if (y.flag != 0 && tid == 0 && (s + XSCHED_TC_FLAG_LEAD) % XSCHED_TC_YIELD_EVERY == 0) flag_ahead = XSCHED_TC_READ_FLAG(y);
        // Slice s - 1's stage is free: the copies of slice s + STAGES - 1 go there.
        if (s + STAGES - 1 < slices) load(s + STAGES - 1, (s + STAGES - 1) % STAGES);
        xsched_cp_async_commit();
        const int stage = s % STAGES;
        const float* as = As + stage * BK * AS;
        const float* bs = Bs + stage * BK * BS;
#pragma unroll
        for (int kk = 0; kk < BK; kk += 8) {
            unsigned a[T::MT][4];
            unsigned b[T::NT][2];
#pragma unroll
            for (int i = 0; i < T::MT; i++) {
                const float* p = as + (kk + quad) * AS + wm0 + 16 * i + group;
                a[i][0] = xsched_tf32(p[0]);
                a[i][1] = xsched_tf32(p[8]);
                a[i][2] = xsched_tf32(p[4 * AS]);
                a[i][3] = xsched_tf32(p[4 * AS + 8]);
            }
#pragma unroll
            for (int j = 0; j < T::NT; j++) {
                const float* p = bs + (kk + quad) * BS + wn0 + 8 * j + group;
                b[j][0] = xsched_tf32(p[0]);
                b[j][1] = xsched_tf32(p[4 * BS]);
            }
#pragma unroll
            for (int i = 0; i < T::MT; i++)
#pragma unroll
                for (int j = 0; j < T::NT; j++) xsched_mma_tf32(acc[i][j], a[i], b[j]);
        }
    }
    }
    xsched_cp_async_wait<0>();
    if constexpr (SPLIT_K) {
        // The broadcast slot is the stop word, which a plain kernel never uses otherwise.
        if (!tc_split_k_combine<T>(acc, partials, arrivals, block, split, splits, tid, stop_word)) return XSCHED_TILE_WRITTEN;
    }

    // Epilogue: bias, optional residual, optional ReLU. A thread's two accumulators of one row and
    // mma tile are neighbouring pixels; where H*W is even they are neighbours in memory too (an
    // even pixel index never ends an image), so they go in one 8-byte access, and the 4 threads of
    // a row write 32 contiguous bytes.
    const bool relu = (flags & CONV_FLAG_RELU) != 0;
    const bool add_residual = (flags & CONV_FLAG_RESIDUAL) != 0;
    if (OHW % 4 == 0) {
        // Through shared memory (the stages are free once every warp is past its last slice),
        // half the tile's rows at a time: the warps owning those rows leave their accumulators
        // there, then every thread takes whole runs of 4 pixels, so that residual reads and
        // output writes are rows of contiguous 16-byte accesses (4 pixels of one image, aligned:
        // H*W is a multiple of 4, and so are n0 and N).
        constexpr int ES = BN + 4;                       // row stride of the staged half tile
        constexpr int HALF = BM / 2;                     // = the rows of one row of warps
        constexpr int RUNS = BN / 4;                     // 16-byte runs per row
        constexpr int ROWS_PER_ROUND = T::THREADS / RUNS;
        static_assert(HALF * ES <= T::STAGE_FLOATS, "half a tile fits in the stages");
        static_assert(HALF % ROWS_PER_ROUND == 0, "whole rounds");
        const int run = tid % RUNS;
        const int n = n0 + run * 4;
        const int b = n < N ? n / OHW : 0;
        const int pixel_base = b * Cout * OHW + (n - b * OHW);
        __syncthreads();
#pragma unroll
        for (int half = 0; half < 2; half++) {
            if (warp / T::WARPS_N == half) {
#pragma unroll
                for (int i = 0; i < T::MT; i++)
#pragma unroll
                    for (int j = 0; j < T::NT; j++)
#pragma unroll
                        for (int h = 0; h < 2; h++) {
                            Float2 v;
                            v.x = acc[i][j][2 * h];
                            v.y = acc[i][j][2 * h + 1];
                            *reinterpret_cast<Float2*>(As + (16 * i + group + 8 * h) * ES + wn0 + 8 * j + 2 * quad) = v;
                        }
            }
            __syncthreads();
#pragma unroll
            for (int r0 = 0; r0 < HALF; r0 += ROWS_PER_ROUND) {
                int row = r0 + tid / RUNS;
                int co = m0 + half * HALF + row;
                if (co >= Cout || n >= N) continue;
                int idx = pixel_base + co * OHW;
                Float4 v = *reinterpret_cast<const Float4*>(As + row * ES + run * 4);
                float bco = bias[co];
                v.x += bco; v.y += bco; v.z += bco; v.w += bco;
                if (add_residual) {
                    Float4 r = *reinterpret_cast<const Float4*>(residual + idx);
                    v.x += r.x; v.y += r.y; v.z += r.z; v.w += r.w;
                }
                if (relu) {
                    v.x = fmaxf(v.x, 0.0f); v.y = fmaxf(v.y, 0.0f); v.z = fmaxf(v.z, 0.0f); v.w = fmaxf(v.w, 0.0f);
                }
                *reinterpret_cast<Float4*>(out + idx) = v;
            }
            __syncthreads();                             // before the other half overwrites the staging
        }
        if (!PERSISTENT) xsched_block_end(y);
        return XSCHED_TILE_WRITTEN;
    }
    const bool pairs = OHW % 2 == 0;
#pragma unroll
    for (int i = 0; i < T::MT; i++)
#pragma unroll
        for (int h = 0; h < 2; h++) {
            int co = m0 + wm0 + 16 * i + group + 8 * h;
            if (co >= Cout) continue;
            float bco = bias[co];
#pragma unroll
            for (int j = 0; j < T::NT; j++) {
                if (pairs) {
                    int base = out_base[j][0];
                    if (base < 0) continue;     // N is even too, so the pair is in range or out whole
                    int idx = base + co * OHW;
                    float v0 = acc[i][j][2 * h] + bco;
                    float v1 = acc[i][j][2 * h + 1] + bco;
                    if (add_residual) {
                        Float2 r = *reinterpret_cast<const Float2*>(residual + idx);
                        v0 += r.x;
                        v1 += r.y;
                    }
                    if (relu) {
                        v0 = fmaxf(v0, 0.0f);
                        v1 = fmaxf(v1, 0.0f);
                    }
                    Float2 v;
                    v.x = v0;
                    v.y = v1;
                    *reinterpret_cast<Float2*>(out + idx) = v;
                    continue;
                }
#pragma unroll
                for (int e = 0; e < 2; e++) {
                    int base = out_base[j][e];
                    if (base < 0) continue;
                    int idx = base + co * OHW;
                    float v = acc[i][j][2 * h + e] + bco;
                    if (add_residual) v += residual[idx];
                    if (relu) v = fmaxf(v, 0.0f);
                    out[idx] = v;
                }
            }
        }
    if (!PERSISTENT) xsched_block_end(y);
    return XSCHED_TILE_WRITTEN;
}

// A plain kernel's tile (conv2d_tf32) compiled for the kind of input loads the convolution takes,
// chosen once per launch (see LOADS above).
template <int BM, int BN, int STAGES, bool SPLIT_K = false>
__device__ __forceinline__ void conv2d_tf32_either(
        const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
        const float* __restrict__ residual, float* __restrict__ out,
        int batch, int C, int H, int W, int Cout, int OH, int OW,
        int KH, int KW, int stride, int pad, int flags, int block, xsched_yield_t y,
        int split = 0, int splits = 1, float* __restrict__ partials = nullptr, int* arrivals = nullptr) {
    if (xsched_vector_loads(H, W, KH, KW, stride, pad)) {
        conv2d_tf32<BM, BN, STAGES, false, XSCHED_LOADS_VECTOR, SPLIT_K>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                         OH, OW, KH, KW, stride, pad, flags, block, y,
                                                                         split, splits, partials, arrivals);
    } else {
        conv2d_tf32<BM, BN, STAGES, false, XSCHED_LOADS_GATHER, SPLIT_K>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                         OH, OW, KH, KW, stride, pad, flags, block, y,
                                                                         split, splits, partials, arrivals);
    }
}

// A persistent grid: fewer blocks than tiles (as many as the SMs hold at once, PersistentGrid
// says). Why: when a suspend raises the flag, a grid of one tile per block still has every block
// it had not started dispatched, each reading the flag and leaving; at batch 1024 a convolution
// has 6,000-25,000 of them, and on the H200 such exiting blocks delayed an online kernel of
// another process by about 11 us (docs/multiprocess.md, round 18 d). A persistent grid's blocks
// all run from the start, so a suspend ends the kernel once its running tiles reach a check. A
// stopped tile is redone from its first slice, as in the one-tile blocks (its output is written
// only at its end), and the tiles after it follow.
// Which tiles a block takes, XSCHED_PERSIST_DYNAMIC (resnet_kernels.hip) says. Static (0): tiles
// blockIdx.x, blockIdx.x + gridDim.x, ... in turn, the block's yield state the turn to resume at
// (0 the first time); no counter shared between blocks, but every block is assumed resident from
// the start, else the late ones run their whole share after the others (correct, but slower), and
// the last turns leave the blocks whose shares are a tile shorter idle. Dynamic (1): each tile is
// claimed from `tile_counter` (xsched_claim_tile), the block's yield state the tile it was stopped
// in plus one (0: none), which the relaunch redoes before it claims more; a block finding the
// counter past the last tile is done. `tile_counter` is unused when static.
template <int BM, int BN, int STAGES, int LOADS = XSCHED_LOADS_EITHER>
__device__ __forceinline__ void conv2d_tf32_persistent(
        const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
        const float* __restrict__ residual, float* __restrict__ out,
        int batch, int C, int H, int W, int Cout, int OH, int OW,
        int KH, int KW, int stride, int pad, int flags, int* tile_counter, xsched_yield_t y) {
    const int from = xsched_block_begin(y);   // -1: finished earlier, or the queue is stopping
    if (from < 0) return;
    const int tiles = ((Cout + BM - 1) / BM) * ((batch * OH * OW + BN - 1) / BN);
#if XSCHED_PERSIST_DYNAMIC
    for (int redo = from - 1;; redo = -1) {
        // The claim's barrier also orders the last tile's reads of the stages before this one's copies.
        const int tile = redo >= 0 ? redo : xsched_claim_tile(tile_counter, y);
        if (tile < 0) {
            xsched_block_yield(y, 0);         // stopped before claiming: nothing to redo
            return;
        }
        if (tile >= tiles) break;
        if (conv2d_tf32<BM, BN, STAGES, true, LOADS>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW,
                                                     stride, pad, flags, tile, y) == XSCHED_TILE_STOPPED) {
            xsched_block_yield(y, tile + 1);
            return;
        }
    }
#else
    for (int i = from; blockIdx.x + (long long) i * gridDim.x < tiles; i++) {
        if (i > from) __syncthreads();        // the last tile's reads of the stages precede this one's copies
        const int tile = (int) (blockIdx.x + (long long) i * gridDim.x);
        if (conv2d_tf32<BM, BN, STAGES, true, LOADS>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW,
                                                     stride, pad, flags, tile, y) == XSCHED_TILE_STOPPED) {
            xsched_block_yield(y, i);
            return;
        }
    }
#endif
    xsched_block_end(y);
}

// 128 x 128 tiles (each warp 64 x 32: 4 x 4 mma tiles, 64 accumulators per thread), two blocks
// per SM; 64 x 64 tiles for small layers; 64 x 128 for layers of at most 64 output channels, as
// ConvTiling chooses. Each also yieldable, as in
// resnet_kernels.hip.
extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                    const float* __restrict__ residual, float* __restrict__ out,
                    int batch, int C, int H, int W, int Cout, int OH, int OW,
                    int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32_either<128, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                          xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                          const float* __restrict__ residual, float* __restrict__ out,
                          int batch, int C, int H, int W, int Cout, int OH, int OW,
                          int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<128, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                          (int) blockIdx.x, XSCHED_YIELD_CONTEXT);
}

// The persistent-grid twin (conv2d_tf32_persistent): the same arguments and the tile counter, launched with fewer
// blocks than tiles.
extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<128, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad,
                                      flags, tile_counter, XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 3)
conv2d_tf32_64x64(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                  const float* __restrict__ residual, float* __restrict__ out,
                  int batch, int C, int H, int W, int Cout, int OH, int OW,
                  int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32_either<64, 64, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                        xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 3)
conv2d_tf32_64x64_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                        const float* __restrict__ residual, float* __restrict__ out,
                        int batch, int C, int H, int W, int Cout, int OH, int OW,
                        int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<64, 64, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                        (int) blockIdx.x, XSCHED_YIELD_CONTEXT);
}

// The persistent-grid twin (conv2d_tf32_persistent): the same arguments and the tile counter, launched with fewer
// blocks than tiles.
extern "C" __global__ void __launch_bounds__(256, 3)
conv2d_tf32_64x64_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<64, 64, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad,
                                      flags, tile_counter, XSCHED_YIELD_CONTEXT);
}

// The 64 x 64 tile with its K reduction split over `splits` blocks (split K), for layers of too
// few tiles to fill the GPU (ResNet-18 at batch 1: layer4's 3x3 convolutions are 8 tiles with
// 288 slices each, on 8 of the H200's 132 SMs): block b computes split b / tiles of tile b % tiles
// (so the blocks of one split, in flight together, take channel tiles fastest, as the others do),
// and each tile's last block sums the splits (tc_split_k_combine). `partials` holds
// tiles x splits x 64 x 64 floats, `arrivals` one int per tile, zero before the first launch (the
// kernel leaves them zero). PlannedLaunch chooses the splits; sliceable as the plain kernels are.
// Plain only: the layer's yieldable twin is conv2d_tf32_64x64_yield over the unsplit tiles.
// Measured on the H200 (round 30, 2026-12-04, RunResNet resnet18 1 500 --layers): the forward
// pass 0.385 ms against 1.421; layer4's 3x3 convolutions 24.6-26.1 us against 199-200 each.
extern "C" __global__ void __launch_bounds__(256, 3)
conv2d_tf32_64x64_splitk(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, int splits, float* __restrict__ partials,
                         int* arrivals, int xsched_offset) {
    const int tiles = ((Cout + 63) / 64) * ((batch * OH * OW + 63) / 64);
    const int b = xsched_block_x(xsched_offset);
    conv2d_tf32_either<64, 64, 2, true>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad,
                                        flags, b % tiles, xsched_yield_t{0, 0, 0}, b / tiles, splits, partials, arrivals);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_64x128(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                   const float* __restrict__ residual, float* __restrict__ out,
                   int batch, int C, int H, int W, int Cout, int OH, int OW,
                   int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32_either<64, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                         xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_64x128_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<64, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad, flags,
                         (int) blockIdx.x, XSCHED_YIELD_CONTEXT);
}

// The persistent-grid twin (conv2d_tf32_persistent): the same arguments and the tile counter, launched with fewer
// blocks than tiles.
extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_64x128_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                         const float* __restrict__ residual, float* __restrict__ out,
                         int batch, int C, int H, int W, int Cout, int OH, int OW,
                         int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<64, 128, 2>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH, KW, stride, pad,
                                      flags, tile_counter, XSCHED_YIELD_CONTEXT);
}

// The 128 x 128 kernels once per kind of input load, chosen on the host (ConvLoads, where
// ResNetKernels.splitLoads() is on) instead of at run time: conv2d_tf32_128x128_<kind>, its
// yieldable twin <kind>_yield and its persistent twin <kind>_persist, for <kind> vector (1x1,
// stride 1, unpadded, H*W a multiple of 4), point (other 1x1 unpadded convolutions: the stride-2
// downsamples, 7x7 maps) and gather (the rest). Why: a 128 x 128 tile holds 64 accumulators in
// its 128 registers, and each kind it may take keeps its own offsets live across the K loop, so
// that a tile compiled for two kinds spills them. ptxas (CUDA 13.0, sm_90, spill stores/loads in
// bytes): the one-tile twin with both kinds 180/1020, for vector loads alone 12/96; the persistent
// twin 172/696 against 0/0; and in the K loop of the two-kind twins (disassembled): 25-29 reloads
// of spilled registers per slice against none for vector loads. The point kind needs one offset
// per column where the general gather keeps three: its plain kernel's K loop reloads nothing,
// where the two-kind plain kernel's gather loop reloads 20 values per slice. (The reload counts
// are of ptxas 11.8's code for the same PTX, disassembled: CUDA 13.0 ships no disassembler here.)
// Measured on the H200 (round 29, 2026-12-04, ResNet-50 b1024, RunResNet --compare-yield
// --layers, one lease): the plain forward 123.3 ms against 127.7 with the kernels that take every
// kind, the one-tile twins 2.3% over it against 4.2%, the persistent twins 6.5% against 8.0%; with
// the point twins' offsets in shared memory (next lease) 1.9% and 5.2%.
extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_vector(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                    const float* __restrict__ residual, float* __restrict__ out,
                    int batch, int C, int H, int W, int Cout, int OH, int OW,
                    int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_VECTOR>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                         KW, stride, pad, flags, xsched_block_x(xsched_offset),
                                                         xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_vector_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                          const float* __restrict__ residual, float* __restrict__ out,
                          int batch, int C, int H, int W, int Cout, int OH, int OW,
                          int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_VECTOR>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                         KW, stride, pad, flags, (int) blockIdx.x,
                                                         XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_vector_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                            const float* __restrict__ residual, float* __restrict__ out,
                            int batch, int C, int H, int W, int Cout, int OH, int OW,
                            int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<128, 128, 2, XSCHED_LOADS_VECTOR>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW,
                                                             KH, KW, stride, pad, flags, tile_counter,
                                                             XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_point(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                    const float* __restrict__ residual, float* __restrict__ out,
                    int batch, int C, int H, int W, int Cout, int OH, int OW,
                    int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_POINT>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                        KW, stride, pad, flags, xsched_block_x(xsched_offset),
                                                        xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_point_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                          const float* __restrict__ residual, float* __restrict__ out,
                          int batch, int C, int H, int W, int Cout, int OH, int OW,
                          int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_POINT>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                        KW, stride, pad, flags, (int) blockIdx.x, XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_point_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                            const float* __restrict__ residual, float* __restrict__ out,
                            int batch, int C, int H, int W, int Cout, int OH, int OW,
                            int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<128, 128, 2, XSCHED_LOADS_POINT>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW,
                                                            KH, KW, stride, pad, flags, tile_counter,
                                                            XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_gather(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                    const float* __restrict__ residual, float* __restrict__ out,
                    int batch, int C, int H, int W, int Cout, int OH, int OW,
                    int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_GATHER>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                         KW, stride, pad, flags, xsched_block_x(xsched_offset),
                                                         xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_gather_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                          const float* __restrict__ residual, float* __restrict__ out,
                          int batch, int C, int H, int W, int Cout, int OH, int OW,
                          int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_tf32<128, 128, 2, false, XSCHED_LOADS_GATHER>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW, KH,
                                                         KW, stride, pad, flags, (int) blockIdx.x,
                                                         XSCHED_YIELD_CONTEXT);
}

extern "C" __global__ void __launch_bounds__(256, 2)
conv2d_tf32_128x128_gather_persist(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                            const float* __restrict__ residual, float* __restrict__ out,
                            int batch, int C, int H, int W, int Cout, int OH, int OW,
                            int KH, int KW, int stride, int pad, int flags, int* tile_counter, XSCHED_YIELD_PARAMS) {
    conv2d_tf32_persistent<128, 128, 2, XSCHED_LOADS_GATHER>(in, wt, bias, residual, out, batch, C, H, W, Cout, OH, OW,
                                                             KH, KW, stride, pad, flags, tile_counter,
                                                             XSCHED_YIELD_CONTEXT);
}
#endif
