// Runs resnet_kernels.hip, conv_tf32.hip and conv_mfma.hip on the CPU, to check the kernels' indexing, tiling and
// barriers without a GPU: one std::thread per GPU thread, blocks one after another, a std::barrier
// as __syncthreads(), __shared__ arrays as statics (shared by the threads of the one running block).
// The tensor-core primitives of conv_tf32.hip are emulated (XSCHED_TC_EMULATED): operands rounded
// to TF32 as cvt.rna does, a warp-wide mma.sync m16n8k8 through a per-warp exchange and barrier,
// and cp.async as a plain copy that checks its alignment. So is conv_mfma.hip's matrix-core
// instruction (XSCHED_MFMA_EMULATED): a wavefront-wide 16x16x4 FP32 product through a per-wavefront
// exchange and barrier.
// Real threads run concurrently, so a missing barrier can show up as a wrong result, though not
// reliably. Compiled and run by KernelEmulationTest: g++ -std=c++20 -pthread
// -DKERNEL_SOURCE='"path/to/resnet_kernels.hip"'. Results are compared with a double-precision
// reference, outputs start as NaN so that an element never written shows.
#include <thread>
#include <atomic>
#include <barrier>
#include <vector>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <functional>
#include <algorithm>
#include <tuple>
#include <cstring>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
struct D3 { unsigned x = 0, y = 0, z = 0; };
thread_local D3 threadIdx;
D3 blockIdx, blockDim, gridDim;
std::barrier<>* bar;
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
inline void __syncthreads() { bar->arrive_and_wait(); }
// Whether any thread of the block passed a non-zero predicate (used by the yield prelude).
static std::atomic<int> syncthreads_or_acc{0};
inline void count_yield_check();
inline int __syncthreads_or(int predicate) {
    count_yield_check();
    bar->arrive_and_wait();
    if (predicate) syncthreads_or_acc = 1;
    bar->arrive_and_wait();
    int any = syncthreads_or_acc;
    bar->arrive_and_wait();
    if (threadIdx.x == 0) syncthreads_or_acc = 0;
    bar->arrive_and_wait();
    return any;
}

// Yield control for the yieldable entry points: the flag the kernels poll, raised by the shim at
// the raise_flag_at-th yield check (a call of __syncthreads_or: a block's entry, an FP32 check; or
// a TF32 kernel's read of the flag, a slice before its check), so that a test can stop a block
// part-way deterministically.
static int yield_flag = 0;
static int yield_raise_at = -1;
static int syncthreads_or_calls = 0;
inline void count_yield_check() {
    if (threadIdx.x == 0 && ++syncthreads_or_calls == yield_raise_at) yield_flag = 1;
}
// The prelude's stop latch (xsched_record_stop): an atomic exchange on device memory; and the
// persistent twins' tile counter (xsched_claim_tile, dynamic assignment): an atomic add.
inline int atomicExch(int* address, int value) { return std::atomic_ref<int>(*address).exchange(value); }
inline int atomicAdd(int* address, int value) { return std::atomic_ref<int>(*address).fetch_add(value); }
// CUDA's integer min and max (split K's slice count).
using std::max;
using std::min;
// Split K's combine (conv2d_tf32_64x64_splitk): a fence, and a load that bypasses L1 on the GPU.
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline float xsched_load_cg(const float* p) { return *p; }
inline int counted_flag_read(const volatile int* flag) {
    int value = *flag;
    count_yield_check();   // raised from this read on: the read after it sees it
    return value;
}
#define XSCHED_TC_READ_FLAG(y) counted_flag_read((y).flag)

// --- tensor-core emulation ---------------------------------------------------------------------
#define XSCHED_TC_EMULATED 1
inline unsigned bits_of(float x) { unsigned u; std::memcpy(&u, &x, 4); return u; }
inline float float_of(unsigned u) { float x; std::memcpy(&x, &u, 4); return x; }
// cvt.rna.tf32.f32: keep 10 mantissa bits, round to nearest, ties away from zero (on the
// magnitude: adding half of the dropped range carries into the kept bits).
inline unsigned xsched_tf32(float x) {
    unsigned u = bits_of(x);
    if ((u & 0x7f800000u) != 0x7f800000u) u += 0x1000u;
    return u & 0xffffe000u;
}
// The tensor cores read only the TF32 bits of an operand register.
inline float tf32_operand(unsigned u) { return float_of(u & 0xffffe000u); }
struct WarpExchange { unsigned a[2][32][4]; unsigned b[2][32][2]; };
static WarpExchange warp_exchange[32];
static std::barrier<>* warp_barrier[32];
thread_local unsigned mma_calls = 0;
// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32, d += a * b, fragments as the PTX ISA lays
// them out. Each lane publishes its fragments in one of two slots (alternating per call, so one
// barrier per call suffices: a lane can be at most one call ahead of the slowest), then computes
// its own four results from the whole warp's. Products of TF32 values are exact in FP32; the sum
// is FP32, in k order.
inline void xsched_mma_tf32(float* d, const unsigned* a, const unsigned* b) {
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32, slot = mma_calls++ & 1;
    WarpExchange& x = warp_exchange[warp];
    for (int i = 0; i < 4; i++) x.a[slot][lane][i] = a[i];
    for (int i = 0; i < 2; i++) x.b[slot][lane][i] = b[i];
    warp_barrier[warp]->arrive_and_wait();
    int group = lane / 4, quad = lane % 4;
    for (int e = 0; e < 4; e++) {
        int row = group + 8 * (e / 2), col = 2 * quad + e % 2;
        float sum = d[e];
        for (int k = 0; k < 8; k++) {
            float av = tf32_operand(x.a[slot][(row % 8) * 4 + k % 4][row / 8 + 2 * (k / 4)]);
            float bv = tf32_operand(x.b[slot][col * 4 + k % 4][k / 4]);
            sum += av * bv;
        }
        d[e] = sum;
    }
}
static std::atomic<int> misaligned{0};
template <int BYTES>
inline void xsched_cp_async(float* dst, const float* src, bool valid) {
    if (BYTES == 16 && ((reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src)) & 15)) misaligned++;
    for (int i = 0; i < BYTES / 4; i++) dst[i] = valid ? src[i] : 0.0f;
}
inline void xsched_cp_async_commit() {}
template <int N>
inline void xsched_cp_async_wait() {}

// --- matrix-core emulation (conv_mfma.hip) ---------------------------------------------------------
#define XSCHED_MFMA_EMULATED 1
typedef float xsched_f32x4 __attribute__((vector_size(16)));
struct WaveExchange { float a[2][64]; float b[2][64]; };
static WaveExchange wave_exchange[4];
static std::barrier<>* wave_barrier[4];
thread_local unsigned mfma_calls = 0;
// v_mfma_f32_16x16x4f32 over a 64-lane wavefront, d = a * b + c, in the lane layout of AMD's
// matrix-core examples (amd-lab-notes, matrix-cores): lane l gives A[l % 16][l / 16] and
// B[l / 16][l % 16] and holds D[4 (l / 16) + v][l % 16] in d[v]. Exchanged through two alternating
// slots as the mma above; FP32 products and sums, in k order.
inline xsched_f32x4 xsched_mfma_16x16x4(float a, float b, xsched_f32x4 c) {
    int wave = threadIdx.x / 64, lane = threadIdx.x % 64, slot = mfma_calls++ & 1;
    WaveExchange& x = wave_exchange[wave];
    x.a[slot][lane] = a;
    x.b[slot][lane] = b;
    wave_barrier[wave]->arrive_and_wait();
    xsched_f32x4 d;
    for (int v = 0; v < 4; v++) {
        int i = 4 * (lane / 16) + v, j = lane % 16;
        float sum = c[v];
        for (int k = 0; k < 4; k++) sum += x.a[slot][i + 16 * k] * x.b[slot][j + 16 * k];
        d[v] = sum;
    }
    return d;
}

// The persistent max pool's claims: 4 logical blocks each here (fewer than the source's default),
// so that the small pools below still have several claims to share between their blocks and to
// stop between.
#define XSCHED_POOL_CHECK_EVERY 4

#include KERNEL_SOURCE

// Runs the blocks one after another: each block starts only when the one before it has finished,
// as if it had not been resident until then. `reversed`: the last block of each row first.
void launch(D3 grid, int threads, std::function<void()> body, bool reversed = false) {
    if (threads > 32 * 32 || threads / 64 > 4) {   // the warp and wavefront exchanges above
        printf("FAIL: %d threads a block, more than the exchanges hold\n", threads);
        std::exit(1);
    }
    gridDim = grid; blockDim = {(unsigned)threads, 1, 1};
    for (unsigned by = 0; by < grid.y; by++) for (unsigned i = 0; i < grid.x; i++) {
        blockIdx = {reversed ? grid.x - 1 - i : i, by, 0};
        std::barrier<> b(threads); bar = &b;
        std::vector<std::unique_ptr<std::barrier<>>> warps;
        for (int w = 0; w < threads / 32; w++) { warps.emplace_back(new std::barrier<>(32)); warp_barrier[w] = warps.back().get(); }
        for (int w = 0; w < threads / 64; w++) { warps.emplace_back(new std::barrier<>(64)); wave_barrier[w] = warps.back().get(); }
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; t++) ts.emplace_back([&, t] { threadIdx = {(unsigned)t, 0, 0}; body(); });
        for (auto& th : ts) th.join();
    }
}

// The convolution kernels: FP32 (CUDA cores), FP32 on AMD's matrix cores (MFMA) and TF32 (tensor
// cores), each in two tile shapes.
// TF32_128_BY_LOADS: the 128 x 128 TF32 kernels compiled once per kind of input load
// (conv2d_tf32_128x128_<kind>, its _yield and _persist twins), each convolution launched on its
// kind's kernel as ConvLoads.of chooses on the host.
// TF32_64_SPLIT: the 64 x 64 TF32 tile with its K reduction split over split_k blocks
// (conv2d_tf32_64x64_splitk), a plain kernel only: its grid is tiles x split_k blocks.
enum Kernel { FP32_128, FP32_64, MFMA_128, MFMA_64, TF32_128, TF32_64, TF32_64x128, TF32_128_BY_LOADS, TF32_64_SPLIT };
const char* kernel_name(Kernel k) {
    return k == FP32_128 ? "fp32 128" : k == FP32_64 ? "fp32  64" : k == MFMA_128 ? "mfma 128" : k == MFMA_64 ? "mfma  64" : k == TF32_128 ? "tf32 128" : k == TF32_64 ? "tf32  64"
            : k == TF32_64x128 ? "tf32 64x128" : k == TF32_128_BY_LOADS ? "tf32 128 by loads" : "tf32  64 split k";
}
int tile_channels(Kernel k) { return k == FP32_128 || k == MFMA_128 || k == TF32_128 || k == TF32_128_BY_LOADS ? 128 : 64; }
int tile_pixels(Kernel k) {
    return k == FP32_128 || k == MFMA_128 || k == TF32_128 || k == TF32_64x128 || k == TF32_128_BY_LOADS ? 128 : 64;
}
// TF32 on NVIDIA's tensor cores (the MFMA kernels multiply in FP32: they are checked as FP32).
bool tensor_cores(Kernel k) { return k != FP32_128 && k != FP32_64 && k != MFMA_128 && k != MFMA_64; }
bool has_yield_twin(Kernel k) { return k != TF32_64_SPLIT; }

// Split K: the splits of every TF32_64_SPLIT launch, its partial tiles and per-tile arrival counts
// (zero before a launch; the kernel leaves them zero, which run_conv checks).
static int split_k = 3;
static std::vector<float> split_partials;
static std::vector<int> split_arrivals;
static int split_arrivals_left = 0;   // launches that left an arrival count non-zero

struct Conv {
    int cin, cout, h, w, k, s, p, batch;
    bool res, relu;
    int oh() const { return (h + 2*p - k)/s + 1; }
    int ow() const { return (w + 2*p - k)/s + 1; }
    unsigned grid(Kernel kernel) const {
        int n = batch*oh()*ow(), bm = tile_channels(kernel), bn = tile_pixels(kernel);
        return (unsigned)(((n + bn - 1)/bn) * ((cout + bm - 1)/bm)) * (kernel == TF32_64_SPLIT ? split_k : 1);
    }
    int flags() const { return (relu ? 1 : 0) | (res ? 2 : 0); }
    // ConvLoads.of: 0 vector (1x1, stride 1, unpadded, H*W % 4 == 0), 1 point (other 1x1 unpadded), 2 gather.
    int loads() const { return k == 1 && p == 0 ? (s == 1 && (h * w) % 4 == 0 ? 0 : 1) : 2; }
};

// How many launches went to each kind's kernels (vector, point, gather): main checks that every kind ran.
std::atomic<int> by_loads_launches[3];

// Calls the kernel of `c`'s kind of input load with `args`, as the host chooses it (ConvLoads.of).
template <typename Vector, typename Point, typename Gather, typename Args>
void apply_by_loads(const Conv& c, Vector vector, Point point, Gather gather, const Args& args) {
    switch (c.loads()) {
        case 0: std::apply(vector, args); break;
        case 1: std::apply(point, args); break;
        default: std::apply(gather, args); break;
    }
}

struct Data {
    std::vector<float> in, wt, wk, bias, resid;
    Data(const Conv& c, unsigned seed) {
        std::mt19937 rng(seed);
        std::normal_distribution<float> nd;
        in.resize(c.batch*c.cin*c.h*c.w); wt.resize(c.cout*c.cin*c.k*c.k); bias.resize(c.cout);
        resid.resize(c.batch*c.cout*c.oh()*c.ow());
        for (auto& v : in) v = nd(rng); for (auto& v : wt) v = nd(rng); for (auto& v : bias) v = nd(rng); for (auto& v : resid) v = nd(rng);
        int K = c.cin*c.k*c.k;
        wk.resize(wt.size());       // K-major, as ConvWeights.reductionMajor() uploads them
        for (int co = 0; co < c.cout; co++) for (int r = 0; r < K; r++) wk[r*c.cout + co] = wt[co*K + r];
    }
};

// The first N elements of a tuple, and the rest: where the persistent twins' tile counter and split K's arguments go in.
template <size_t N, typename T>
auto head(const T& t) {
    return [&]<size_t... I>(std::index_sequence<I...>) { return std::make_tuple(std::get<I>(t)...); }(std::make_index_sequence<N>());
}
template <size_t N, typename T>
auto tail(const T& t) {
    return [&]<size_t... I>(std::index_sequence<I...>) { return std::make_tuple(std::get<N + I>(t)...); }(
            std::make_index_sequence<std::tuple_size_v<T> - N>());
}

// Runs a convolution over grid blocks in slices of `slice` blocks (0: one launch), each slice a
// launch of its own grid with its block offset as the last argument, as CommandQueue.launchSliced does.
// `reversed`: each launch's blocks from the last to the first.
void run_conv(const Conv& c, const Data& d, std::vector<float>& out, Kernel kernel, unsigned slice, bool reversed = false) {
    unsigned grid = c.grid(kernel);
    if (slice == 0) slice = grid;
    if (kernel == TF32_64_SPLIT) {
        split_partials.assign((size_t) grid * 64 * 64, NAN);
        split_arrivals.assign(grid / split_k, 0);
    }
    for (unsigned offset = 0; offset < grid; offset += slice) {
        unsigned blocks = std::min(slice, grid - offset);
        int off = (int) offset;
        launch(D3{blocks, 1, 1}, 256, [&] {
            const float* r = c.res ? d.resid.data() : out.data();
            auto args = std::make_tuple(d.in.data(), d.wk.data(), d.bias.data(), r, out.data(), c.batch, c.cin, c.h, c.w,
                                        c.cout, c.oh(), c.ow(), c.k, c.k, c.s, c.p, c.flags(), off);
            switch (kernel) {
                case FP32_128: std::apply(conv2d_igemm_128x128, args); break;
                case FP32_64: std::apply(conv2d_igemm_64x64, args); break;
                case MFMA_128: std::apply(conv2d_mfma_128x128, args); break;
                case MFMA_64: std::apply(conv2d_mfma_64x64, args); break;
                case TF32_128: std::apply(conv2d_tf32_128x128, args); break;
                case TF32_64: std::apply(conv2d_tf32_64x64, args); break;
                case TF32_64x128: std::apply(conv2d_tf32_64x128, args); break;
                case TF32_128_BY_LOADS:
                    if (threadIdx.x == 0 && blockIdx.x == 0) by_loads_launches[c.loads()]++;
                    apply_by_loads(c, conv2d_tf32_128x128_vector, conv2d_tf32_128x128_point, conv2d_tf32_128x128_gather, args);
                    break;
                case TF32_64_SPLIT:
                    std::apply(conv2d_tf32_64x64_splitk, std::tuple_cat(head<17>(args),
                            std::make_tuple(split_k, split_partials.data(), split_arrivals.data()), tail<17>(args)));
                    break;
            }
        }, reversed);
    }
    if (kernel == TF32_64_SPLIT && std::any_of(split_arrivals.begin(), split_arrivals.end(), [](int a) { return a != 0; })) {
        split_arrivals_left++;
    }
}


// One launch of a yieldable entry point with live control words (flag, per-block state, record):
// over the whole grid, one tile per block; or, `persistent`, the TF32 kernel's persistent twin over
// `grid` blocks (fewer than its tiles) with the tile counter `counter`, its blocks in reverse
// order where `reversed`.
void run_conv_yieldable(const Conv& c, const Data& d, std::vector<float>& out, Kernel kernel, std::vector<int>& state,
                        int& record, bool persistent = false, unsigned grid = 0, int* counter = nullptr,
                        bool reversed = false) {
    launch(D3{persistent ? grid : c.grid(kernel), 1, 1}, 256, [&] {
        const float* r = c.res ? d.resid.data() : out.data();
        auto args = std::make_tuple(d.in.data(), d.wk.data(), d.bias.data(), r, out.data(), c.batch, c.cin, c.h, c.w,
                                    c.cout, c.oh(), c.ow(), c.k, c.k, c.s, c.p, c.flags(),
                                    (const volatile int*) &yield_flag, state.data(), (volatile int*) &record);
        if (persistent) {
            auto persist_args = std::tuple_cat(head<17>(args), std::make_tuple(counter), tail<17>(args));
            switch (kernel) {
                case TF32_128: std::apply(conv2d_tf32_128x128_persist, persist_args); break;
                case TF32_64: std::apply(conv2d_tf32_64x64_persist, persist_args); break;
                case TF32_64x128: std::apply(conv2d_tf32_64x128_persist, persist_args); break;
                case TF32_128_BY_LOADS:
                    apply_by_loads(c, conv2d_tf32_128x128_vector_persist, conv2d_tf32_128x128_point_persist,
                                   conv2d_tf32_128x128_gather_persist, persist_args);
                    break;
                default: std::abort();   // the FP32 kernels have no persistent twin
            }
            return;
        }
        switch (kernel) {
            case FP32_128: std::apply(conv2d_igemm_128x128_yield, args); break;
            case FP32_64: std::apply(conv2d_igemm_64x64_yield, args); break;
            case MFMA_128: std::apply(conv2d_mfma_128x128_yield, args); break;
            case MFMA_64: std::apply(conv2d_mfma_64x64_yield, args); break;
            case TF32_128: std::apply(conv2d_tf32_128x128_yield, args); break;
            case TF32_64: std::apply(conv2d_tf32_64x64_yield, args); break;
            case TF32_64x128: std::apply(conv2d_tf32_64x128_yield, args); break;
            case TF32_128_BY_LOADS:
                apply_by_loads(c, conv2d_tf32_128x128_vector_yield, conv2d_tf32_128x128_point_yield,
                               conv2d_tf32_128x128_gather_yield, args);
                break;
        }
    }, reversed);
}

int differing(const std::vector<float>& a, const std::vector<float>& b) {
    int diff = 0;
    for (size_t i = 0; i < a.size(); i++) if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) diff++;
    return diff;
}

// A sliced convolution equals the unsliced one bit for bit, for several slice sizes.
int check_sliced(const Conv& c, Kernel kernel) {
    Data d(c, c.cin * 17 + c.cout * 5 + c.h + c.k + c.batch + 99);
    unsigned grid = c.grid(kernel);
    std::vector<float> whole(d.resid.size(), NAN);
    run_conv(c, d, whole, kernel, 0);
    int fails = 0;
    for (unsigned slice : {1u, 2u, 3u, grid > 1 ? grid - 1 : 1u}) {
        std::vector<float> out(d.resid.size(), NAN);
        run_conv(c, d, out, kernel, slice);
        int diff = differing(out, whole);
        printf("%s sliced cin=%d cout=%d %dx%d k=%d s=%d b=%d grid=%u slice=%u: %d differing elements %s\n",
               kernel_name(kernel), c.cin, c.cout, c.h, c.w, c.k, c.s, c.batch, grid, slice, diff, diff ? "FAIL" : "ok");
        fails += diff != 0;
    }
    return fails;
}

// A yieldable launch stopped part-way (the flag raised at the `raise_at`-th yield check) and
// launched again until no block records a stop equals an undisturbed launch bit for bit: the
// FP32 and TF32 kernels alike start their stopped blocks over (the TF32 ones once kept progress,
// which cost registers: see conv_tf32.hip), so no block's state may hold a resume point.
int check_yield(const Conv& c, Kernel kernel, int raise_at) {
    Data d(c, c.cin * 13 + c.cout + c.h * 3 + c.batch);
    std::vector<float> whole(d.resid.size(), NAN), out(d.resid.size(), NAN);
    run_conv(c, d, whole, kernel, 0);
    unsigned blocks = c.grid(kernel);
    std::vector<int> state(blocks + 1, 0);   // the blocks' states, then the stop latch
    int launches = 0, resumed = 0, record = 1;
    while (record && launches < 10) {
        record = 0; state[blocks] = 0;       // a relaunch starts with the latch down
        yield_flag = 0; syncthreads_or_calls = 0;
        yield_raise_at = launches == 0 ? raise_at : -1;
        run_conv_yieldable(c, d, out, kernel, state, record);
        for (unsigned b = 0; b < blocks; b++) resumed += state[b] > 0;
        launches++;
    }
    yield_raise_at = -1; yield_flag = 0;
    int diff = differing(out, whole);
    bool done = std::all_of(state.begin(), state.begin() + blocks, [](int st) { return st == -1; });
    bool restarted = resumed == 0;
    bool ok = diff == 0 && done && launches >= 2 && restarted;
    printf("%s yield cin=%d cout=%d %dx%d k=%d b=%d raise at check %d: %d launches, %d resume points, %d differing %s\n",
           kernel_name(kernel), c.cin, c.cout, c.h, c.w, c.k, c.batch, raise_at, launches, resumed, diff, ok ? "ok" : "FAIL");
    return !ok;
}

// A yieldable kernel whose only check is each block's entry (the pooling twins), launched over
// `blocks` blocks with the flag raised at the `raise_at`-th yield check of the first launch, then
// again with it down: blocks 0..raise_at-1 finish in the first launch and the rest stop before any
// work; the second runs those and skips the finished ones. The result must equal the plain
// kernel's (`plain`) bit for bit, with every block marked finished. `run(out, state, record)`
// calls the kernel with those control words (each thread of each block, as `launch` does).
int check_entry_yield(const char* what, unsigned blocks, int raise_at, const std::vector<float>& plain,
                      const std::function<void(float*, int*, int*)>& run) {
    std::vector<float> out(plain.size(), NAN);
    std::vector<int> state(blocks + 1, 0);   // the blocks' states, then the stop latch
    int launches = 0, record = 1, stopped_first = 0, latch_first = 0;
    while (record && launches < 10) {
        record = 0; state[blocks] = 0; yield_flag = 0; syncthreads_or_calls = 0;
        yield_raise_at = launches == 0 ? raise_at : -1;
        launch(D3{blocks, 1, 1}, 256, [&] { run(out.data(), state.data(), &record); });
        if (launches == 0) {
            for (unsigned b = 0; b < blocks; b++) stopped_first += state[b] != -1;
            latch_first = state[blocks];
        }
        launches++;
    }
    yield_raise_at = -1; yield_flag = 0;
    int diff = differing(out, plain);
    bool done = std::all_of(state.begin(), state.begin() + blocks, [](int st) { return st == -1; });
    bool ok = diff == 0 && done && launches == 2 && stopped_first == (int) blocks - raise_at && latch_first == 1
            && state[blocks] == 0;
    printf("%s, %u blocks, raise at check %d: %d launches, %d blocks stopped in the first (latch %d, then %d), %d differing %s\n",
           what, blocks, raise_at, launches, stopped_first, latch_first, state[blocks], diff, ok ? "ok" : "FAIL");
    return !ok;
}

// The tile of a convolution's output element `o`.
int conv_tile_of(const Conv& c, Kernel kernel, size_t o) {
    const int bm = tile_channels(kernel), bn = tile_pixels(kernel), m_tiles = (c.cout + bm - 1) / bm;
    const int ohw = c.oh() * c.ow();
    int pix = (int) (o % ohw), co = (int) (o / ohw % c.cout), b = (int) (o / ohw / c.cout);
    return (b * ohw + pix) / bn * m_tiles + co / bm;
}

// Static assignment (XSCHED_PERSIST_DYNAMIC 0): a persistent grid of `grid` blocks (each taking tiles b, b + grid, ...) equals the plain
// one-tile-per-block launch bit for bit: undisturbed (raise_at -1: one launch, every block
// finished), and with the flag raised at the raise_at-th yield check of the first launch, then
// launched again until no block records a stop. Blocks run one after another here, so the first
// block takes every flag check until it stops at a tile boundary or mid-tile; the later blocks
// stop at their entry. `want_resume`: the stop must leave the first block a resume point past
// its first tile (its state > 0), so that the relaunch starts it at a later tile.
int check_persistent(const Conv& c, Kernel kernel, unsigned grid, int raise_at, bool want_resume) {
    Data d(c, c.cin * 7 + c.cout * 3 + c.h + c.batch + 5);
    std::vector<float> whole(d.resid.size(), NAN), out(d.resid.size(), NAN);
    run_conv(c, d, whole, kernel, 0);
    std::vector<int> state(grid + 1, 0);
    auto tile_of = [&](size_t o) { return conv_tile_of(c, kernel, o); };   // one block: its turn is its tile
    const float sentinel = 12345.0f;
    int launches = 0, record = 1, first_resume = 0, counter = 0;   // the tile counter: unused by static assignment
    while (record && launches < 10) {
        record = 0; state[grid] = 0; yield_flag = 0; syncthreads_or_calls = 0;
        yield_raise_at = launches == 0 ? raise_at : -1;
        run_conv_yieldable(c, d, out, kernel, state, record, true, grid, &counter);
        if (launches == 0) {
            first_resume = state[0];
            // The tiles of the turns before the resume point are done: the relaunch must not write them again.
            if (want_resume && grid == 1)
                for (size_t o = 0; o < out.size(); o++) if (tile_of(o) < first_resume) out[o] = sentinel;
        }
        launches++;
    }
    yield_raise_at = -1; yield_flag = 0;
    int diff = 0, rewritten = 0;
    for (size_t o = 0; o < out.size(); o++) {
        bool kept = want_resume && grid == 1 && tile_of(o) < first_resume;
        if (kept) rewritten += out[o] != sentinel;
        else diff += std::memcmp(&out[o], &whole[o], sizeof(float)) != 0;
    }
    bool done = std::all_of(state.begin(), state.begin() + grid, [](int st) { return st == -1; });
    bool ok = diff == 0 && rewritten == 0 && done && launches == (raise_at < 0 ? 1 : 2) && (!want_resume || first_resume > 0);
    printf("%s persistent cin=%d cout=%d %dx%d k=%d b=%d, %u blocks for %u tiles, raise at check %d: %d launches, "
           "first block's resume point %d, %d differing, %d finished elements written again %s\n",
           kernel_name(kernel), c.cin, c.cout, c.h, c.w, c.k, c.batch, grid, c.grid(kernel), raise_at, launches,
           first_resume, diff, rewritten, ok ? "ok" : "FAIL");
    return !ok;
}

// What a launch of a persistent twin with dynamic assignment leaves: its blocks' yield states (a
// stopped tile plus one, 0 when none, -1 finished) and the tile counter.
struct Left {
    std::vector<int> states;
    int counter;
    bool operator==(const Left&) const = default;
};

// Dynamic assignment (XSCHED_PERSIST_DYNAMIC 1): a persistent twin over `grid` blocks and `tiles`
// tiles (`tile_of` maps an output element to its tile), launched until no block records a stop.
// Launch n has the flag raised at the raises[n]-th yield check (none past the list) and runs its
// blocks in reverse order when n is odd, so that a relaunch's first block is one that did nothing
// before while blocks with a tile to redo come last. Blocks run one after another, so a block
// that is not first is one that was not resident until the blocks before it finished: the first
// claims every tile it can, and the later ones find fewer. After launch n, want[n] must hold
// (there are as many launches as wants), and the tiles completed so far (claimed, and not
// waiting in a block's state to be redone) must equal `whole` bit for bit; they are then
// overwritten with a sentinel that no later launch may touch: no tile is done twice (a stopped
// one is redone, having written nothing), and none is lost (all are completed in the end).
// `run(out, state, record, counter, reversed)` is one launch.
int check_dynamic(const char* what, unsigned grid, int tiles, const std::vector<float>& whole,
                  const std::function<int(size_t)>& tile_of, const std::vector<int>& raises, const std::vector<Left>& want,
                  const std::function<void(std::vector<float>&, std::vector<int>&, int&, int*, bool)>& run) {
    std::vector<float> out(whole.size(), NAN);
    std::vector<int> state(grid + 1, 0);     // the blocks' states, then the stop latch
    std::vector<char> completed(tiles, 0);
    const float sentinel = 12345.0f;
    int counter = 0, launches = 0, record = 1, diff = 0, rewritten = 0, unexpected = 0;
    std::string history;
    while (record && launches < 10) {
        record = 0; state[grid] = 0; yield_flag = 0; syncthreads_or_calls = 0;
        yield_raise_at = launches < (int) raises.size() ? raises[launches] : -1;
        run(out, state, record, &counter, launches % 2 == 1);
        std::vector<char> now(tiles, 0);
        for (int t = 0; t < std::min(counter, tiles); t++) now[t] = 1;
        for (unsigned b = 0; b < grid; b++) if (state[b] > 0 && state[b] <= tiles) now[state[b] - 1] = 0;
        for (size_t o = 0; o < out.size(); o++) {
            int t = tile_of(o);
            if (completed[t]) {
                rewritten += std::memcmp(&out[o], &sentinel, sizeof(float)) != 0;
            } else if (now[t]) {
                diff += std::memcmp(&out[o], &whole[o], sizeof(float)) != 0;
                out[o] = sentinel;
            }
        }
        for (int t = 0; t < tiles; t++) completed[t] |= now[t];
        Left left{std::vector<int>(state.begin(), state.begin() + grid), counter};
        unexpected += launches >= (int) want.size() || !(left == want[launches]);
        history += " {";
        for (unsigned b = 0; b < grid; b++) history += (b ? " " : "") + std::to_string(state[b]);
        history += "} " + std::to_string(counter);
        launches++;
    }
    yield_raise_at = -1; yield_flag = 0;
    int missing = (int) std::count(completed.begin(), completed.end(), 0);
    bool ok = diff == 0 && rewritten == 0 && missing == 0 && unexpected == 0 && launches == (int) want.size();
    printf("%s dynamic, %u blocks for %d tiles, raises", what, grid, tiles);
    for (int r : raises) printf(" %d", r);
    printf(": %d launches, states and counter after each:%s; %d differing, %d completed elements written again, "
           "%d tiles never completed, %d launches not as expected %s\n", launches, history.c_str(), diff, rewritten, missing,
           unexpected, ok ? "ok" : "FAIL");
    return !ok;
}

// A TF32 kernel's persistent twin with dynamic assignment on `c`, against the plain launch.
int check_dynamic_conv(const Conv& c, Kernel kernel, unsigned grid, const std::vector<int>& raises, const std::vector<Left>& want) {
    Data d(c, c.cin * 7 + c.cout * 3 + c.h + c.batch + 5);
    std::vector<float> whole(d.resid.size(), NAN);
    run_conv(c, d, whole, kernel, 0);
    char what[200];
    snprintf(what, sizeof what, "%s persistent cin=%d cout=%d %dx%d k=%d b=%d", kernel_name(kernel), c.cin, c.cout, c.h, c.w,
             c.k, c.batch);
    return check_dynamic(what, grid, (int) c.grid(kernel), whole, [&](size_t o) { return conv_tile_of(c, kernel, o); },
                         raises, want, [&](std::vector<float>& out, std::vector<int>& state, int& record, int* counter,
                                           bool reversed) {
        run_conv_yieldable(c, d, out, kernel, state, record, true, grid, counter, reversed);
    });
}

// TF32 error bound (ConvPrecision.TF32 documents the derivation): per output,
// (2^-10 + 2^-22 + gamma_K + 2^-22) * (sum |w x| + |bias| + |residual|), gamma_K = K 2^-23 / (1 - K 2^-23).
double tf32_bound(int K, double magnitude) {
    double gamma = K * std::ldexp(1.0, -23) / (1 - K * std::ldexp(1.0, -23));
    return (std::ldexp(1.0, -10) + 2 * std::ldexp(1.0, -22) + gamma) * magnitude;
}

int check(const Conv& c, Kernel kernel) {
    Data d(c, c.cin * 31 + c.cout * 7 + c.h + c.k + c.batch);
    std::vector<float> out(d.resid.size(), NAN);
    run_conv(c, d, out, kernel, 0);
    int oh = c.oh(), ow = c.ow(), K = c.cin*c.k*c.k;
    double worst = 0, scale = 1e-6, worst_bound_ratio = 0;
    std::vector<double> ref(out.size()), mag(out.size());
    for (int b = 0; b < c.batch; b++) for (int co = 0; co < c.cout; co++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
        double sum = d.bias[co], abs = std::fabs(d.bias[co]);
        for (int ci = 0; ci < c.cin; ci++) for (int ky = 0; ky < c.k; ky++) for (int kx = 0; kx < c.k; kx++) {
            int iy = y*c.s - c.p + ky, ix = x*c.s - c.p + kx;
            if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
            double prod = (double) d.in[((b*c.cin + ci)*c.h + iy)*c.w + ix] * d.wt[((co*c.cin + ci)*c.k + ky)*c.k + kx];
            sum += prod; abs += std::fabs(prod);
        }
        int o = ((b*c.cout + co)*oh + y)*ow + x;
        if (c.res) { sum += d.resid[o]; abs += std::fabs(d.resid[o]); }
        if (c.relu) sum = std::max(sum, 0.0);
        ref[o] = sum; mag[o] = abs; scale = std::max(scale, std::fabs(sum));
    }
    int bad = 0;
    for (size_t i = 0; i < out.size(); i++) {
        if (!std::isfinite(out[i])) { bad++; continue; }
        double err = std::fabs(out[i] - ref[i]);
        worst = std::max(worst, err / scale);
        worst_bound_ratio = std::max(worst_bound_ratio, err / tf32_bound(K, mag[i]));
    }
    // FP32: within 1e-5 of the largest result. TF32: every element within its derived bound.
    bool fail = bad || (tensor_cores(kernel) ? worst_bound_ratio > 1 : worst > 1e-5);
    printf("%s cin=%d cout=%d %dx%d k=%d s=%d p=%d b=%d res=%d relu=%d: nonfinite=%d worst=%.2e (%.2f of the TF32 bound) %s\n",
           kernel_name(kernel), c.cin, c.cout, c.h, c.w, c.k, c.s, c.p, c.batch, c.res, c.relu, bad, worst,
           worst_bound_ratio, fail ? "FAIL" : "ok");
    return fail;
}

// Split K over `splits` blocks per tile: within the TF32 bound (check), the same bits whichever of
// a tile's blocks finishes last (the blocks in reverse order, so that the last split arrives first
// and the first does the combine), and no arrival count left behind.
int check_split_k(const Conv& c, int splits) {
    split_k = splits;
    int fails = check(c, TF32_64_SPLIT);
    Data d(c, c.cin * 5 + c.cout * 11 + c.h + c.batch + 3);
    std::vector<float> forward(d.resid.size(), NAN), backward(d.resid.size(), NAN);
    run_conv(c, d, forward, TF32_64_SPLIT, 0);
    run_conv(c, d, backward, TF32_64_SPLIT, 0, true);
    int diff = differing(forward, backward);
    printf("tf32  64 split k=%d cin=%d cout=%d %dx%d k=%d b=%d, blocks reversed: %d differing %s\n", splits, c.cin, c.cout,
           c.h, c.w, c.k, c.batch, diff, diff ? "FAIL" : "ok");
    split_k = 3;
    return fails + (diff != 0);
}

// The persistent twin of TF32 `kernel`, with the assignment the source was compiled with.
int check_persistent_twin(Kernel kernel) {
    int fails = 0;
    // 200 output channels over 3 x 9 x 7 pixels: 4 tiles of 128 x 128, 12 of 64 x 64, 8 of 64 x 128.
    const Conv p = {24, 200, 17, 13, 3, 2, 1, 3, false, true};
    // K = 1170 (74 slices, a check every 16) over 300 pixels: 3 tiles of 128 x 128 or 64 x 128, 5 of 64 x 64.
    const Conv q = {130, 20, 5, 5, 3, 1, 1, 12, true, true};
    // The two other kinds of input load, undisturbed: point (1x1 stride 2, 2 x 1 tiles of 128 x 128)
    // and vector (1x1 stride 1 on 8 x 8 maps, 2 x 2).
    const Conv pt = {40, 130, 9, 9, 1, 2, 0, 3, true, false};
    const Conv vec = {40, 200, 8, 8, 1, 1, 0, 3, true, true};
#if XSCHED_PERSIST_DYNAMIC
    fails += check_dynamic_conv(pt, kernel, 3, {}, {{{-1, -1, -1}, (int) pt.grid(kernel) + 3}});
    fails += check_dynamic_conv(vec, kernel, 3, {}, {{{-1, -1, -1}, (int) vec.grid(kernel) + 3}});
#else
    fails += check_persistent(pt, kernel, 3, -1, false);
    fails += check_persistent(vec, kernel, 3, -1, false);
#endif
#if XSCHED_PERSIST_DYNAMIC
    // Counted checks: the block's entry (1), then per tile its claim, and then, chunked, the tile's
    // entry read and one read per checkpoint (K = 216: one; K = 1170: five); per-slice loop, the
    // tile's entry check and a read a slice before each check (K = 1170: four).
    const int tp = (int) p.grid(kernel), tq = (int) q.grid(kernel);
    // Undisturbed: the first block takes every tile, the blocks after it find none left (and a
    // failed claim each).
    fails += check_dynamic_conv(p, kernel, 3, {}, {{{-1, -1, -1}, tp + 3}});
    fails += check_dynamic_conv(p, kernel, 1, {}, {{{-1}, tp + 1}});
    // Raised at block 0's entry (after its read): its first claim reads the flag first and claims
    // nothing; blocks 1 and 2 stop at their entry. The relaunch, block 2 first, does every tile.
    fails += check_dynamic_conv(p, kernel, 3, {1}, {{{0, 0, 0}, 0}, {{-1, -1, -1}, tp + 3}});
    // Raised at the first claim (after its read): tile 0 claimed, stopped at its entry; redone.
    fails += check_dynamic_conv(p, kernel, 1, {2}, {{{1}, 1}, {{-1}, tp + 1}});
    // Mid-reduction: raised at the 10th count, during the second tile, which stops at its next check.
    fails += check_dynamic_conv(q, kernel, 1, {10}, {{{2}, 2}, {{-1}, tq + 1}});
    // Two stops: the same; then in the relaunch (block 2 first) block 2 claims tile 2 and stops in it
    // (raised at that tile's entry count), blocks 1 and 0 stop at their entry; then block 0 redoes
    // tile 1 and claims the rest, block 1 finds none, block 2 redoes tile 2.
    fails += check_dynamic_conv(q, kernel, 3, {10, 3}, {{{2, 0, 0}, 2}, {{2, 0, 3}, 3}, {{-1, -1, -1}, tq + 3}});
#else
    fails += check_persistent(p, kernel, 3, -1, false);
    fails += check_persistent(p, kernel, 1, -1, false);
    // Counted checks: the block's entry (1), then per tile, chunked: its entry read and one
    // read per checkpoint (K = 216: one); per-slice loop: one check per tile. Raised at the
    // 3rd, the flag stops the block at its second tile (chunked) or third: a resume point
    // past its first tile.
    fails += check_persistent(p, kernel, 1, 3, true);
    // Raised at the entry's count: the first tile stops before any work, the other blocks
    // at their entry, and the relaunch does it all.
    fails += check_persistent(p, kernel, 3, 1, false);
    // Mid-reduction: 3 tiles of 128 x 128 (5 of 64 x 64); raised at the 10th count, during the
    // second tile's reduction, which stops at its next check.
    fails += check_persistent(q, kernel, 1, 10, true);
#endif
    return fails;
}

// The max pool's persistent twin over fewer blocks than the logical ones, with the assignment the
// source was compiled with, against the plain kernel's `plain` on the same input.
int check_pool_persistent(const std::vector<float>& in, const std::vector<float>& plain, int b, int c, int h, int w, int oh,
                          int ow) {
    int fails = 0;
    const unsigned blocks = (unsigned) ((plain.size() + 255) / 256);
#if XSCHED_PERSIST_DYNAMIC
    // Tiles of XSCHED_POOL_CHECK_EVERY (4) logical blocks, one claim each and no check inside: 3 tiles
    // of the 9 blocks. Undisturbed over one and three blocks; over two, the flag raised at the first
    // claim (after its read): block 0 does tile 0 and its next claim sees the flag and claims
    // nothing, block 1 stops at entry; the relaunch (block 1 first) does the other two.
    const int tiles = (int) (blocks + XSCHED_POOL_CHECK_EVERY - 1) / XSCHED_POOL_CHECK_EVERY;
    auto run = [&](unsigned grid) {
        return [&, grid](std::vector<float>& out, std::vector<int>& state, int& record, int* counter, bool reversed) {
            launch(D3{grid, 1, 1}, 256, [&] {
                max_pool2d_persist(in.data(), out.data(), b, c, h, w, oh, ow, 3, 2, 1, counter, (const volatile int*) &yield_flag,
                                   state.data(), (volatile int*) &record);
            }, reversed);
        };
    };
    auto tile_of = [](size_t o) { return (int) (o / 256 / XSCHED_POOL_CHECK_EVERY); };
    fails += check_dynamic("maxpool persistent", 1, tiles, plain, tile_of, {}, {{{-1}, tiles + 1}}, run(1));
    fails += check_dynamic("maxpool persistent", 3, tiles, plain, tile_of, {}, {{{-1, -1, -1}, tiles + 3}}, run(3));
    fails += check_dynamic("maxpool persistent", 2, tiles, plain, tile_of, {2}, {{{0, 0}, 1}, {{-1, -1}, tiles + 2}}, run(2));
#else
    // Each block checking every 4 of its turns. One block: undisturbed; the flag raised at its
    // entry's count (seen at turn 4, where it stops and later resumes); at turn 4's count (seen
    // at turn 8). Two and three blocks: undisturbed.
    for (auto [grid, raise, resume] : {std::tuple{1u, -1, -1}, {1u, 1, 4}, {1u, 2, 8}, {2u, -1, -1}, {3u, -1, -1}}) {
        std::vector<float> po(plain.size(), NAN);
        std::vector<int> state(grid + 1, 0);
        int launches = 0, record = 1, first_resume = 0, counter = 0;   // the tile counter: unused by static assignment
        while (record && launches < 10) {
            record = 0; state[grid] = 0; yield_flag = 0; syncthreads_or_calls = 0;
            yield_raise_at = launches == 0 ? raise : -1;
            launch(D3{grid, 1, 1}, 256, [&] {
                max_pool2d_persist(in.data(), po.data(), b, c, h, w, oh, ow, 3, 2, 1, &counter, (const volatile int*) &yield_flag,
                                   state.data(), (volatile int*) &record);
            });
            if (launches == 0) {
                first_resume = state[0];
                // One block: its turns before the resume point are done, and must not be written again.
                if (grid == 1 && first_resume > 0)
                    for (size_t o = 0; o < po.size(); o++) if ((int) (o / 256) < first_resume) po[o] = 12345.0f;
            }
            launches++;
        }
        yield_raise_at = -1; yield_flag = 0;
        int diff = 0, rewritten = 0;
        for (size_t o = 0; o < po.size(); o++) {
            if (grid == 1 && first_resume > 0 && (int) (o / 256) < first_resume) rewritten += po[o] != 12345.0f;
            else diff += std::memcmp(&po[o], &plain[o], sizeof(float)) != 0;
        }
        bool done = std::all_of(state.begin(), state.begin() + grid, [](int st) { return st == -1; });
        bool ok = diff == 0 && rewritten == 0 && done && launches == (raise < 0 ? 1 : 2) && first_resume == resume;
        printf("maxpool persistent, %u blocks for %u, raise at check %d: %d launches, first block's resume point %d, "
               "%d differing, %d finished elements written again %s\n", grid, blocks, raise, launches, first_resume,
               diff, rewritten, ok ? "ok" : "FAIL");
        fails += !ok;
    }
#endif
    return fails;
}

// With the argument "tf32", only the tensor-core kernels (KernelEmulationTest's run of the TF32
// source compiled with another loop); with "persistent", only the persistent twins (its runs of the
// source with either tile assignment).
int main(int argc, char** argv) {
    const bool tf32_only = argc > 1 && std::strcmp(argv[1], "tf32") == 0;
    const bool persistent_only = argc > 1 && std::strcmp(argv[1], "persistent") == 0;
    int fails = 0;
    const Conv convs[] = {
        {3, 64, 23, 19, 7, 2, 3, 1, false, true},
        {3, 64, 23, 19, 7, 2, 3, 3, false, true},
        {16, 40, 15, 15, 3, 1, 1, 3, false, true},
        {24, 72, 17, 13, 3, 2, 1, 1, false, true},
        {32, 130, 9, 9, 1, 2, 0, 3, false, false},
        {130, 20, 5, 5, 3, 1, 1, 1, false, false},
        {16, 48, 11, 11, 3, 1, 1, 2, true, true},
        {33, 129, 6, 7, 1, 1, 0, 3, true, false},
        {200, 150, 1, 1, 1, 1, 0, 3, false, false},
        {40, 68, 6, 6, 1, 1, 0, 3, true, true},     // 1x1 stride 1, H*W % 4 == 0: the vector input loads
        {8, 36, 5, 5, 3, 1, 1, 3, true, true},      // odd H*W: the single-float epilogue with a residual
        {20, 70, 4, 6, 3, 1, 1, 3, true, true},     // H*W % 4 == 0: the staged 16-byte epilogue, partial tiles
    };
    for (Kernel kernel : {FP32_64, FP32_128, MFMA_64, MFMA_128, TF32_64, TF32_128, TF32_64x128, TF32_128_BY_LOADS, TF32_64_SPLIT}) {
        if ((tf32_only || persistent_only) && !tensor_cores(kernel)) continue;
        if (!persistent_only) {
            for (const Conv& c : convs) fails += check(c, kernel);
            fails += check_sliced({16, 40, 15, 15, 3, 1, 1, 3, false, true}, kernel);
            fails += check_sliced({33, 129, 6, 7, 1, 1, 0, 3, true, false}, kernel);
            fails += check_sliced({24, 200, 17, 13, 3, 2, 1, 2, false, true}, kernel);
            if (!has_yield_twin(kernel)) continue;
            // The flag goes up during the first block's n-th yield check (its entry is the first; a
            // TF32 block's flag reads, a slice before each check, count too) and stops it at a later
            // check, mid-reduction: K = 1170 has 4 checks in (TF32: every 16 slices of 16; FP32: every
            // 32 of 8 or 16), K = 600 (the vector loads) at least 1.
            fails += check_yield({130, 20, 5, 5, 3, 1, 1, 2, true, true}, kernel, 2);
            fails += check_yield({600, 68, 6, 6, 1, 1, 0, 3, true, false}, kernel, 1);
            fails += check_yield({600, 68, 9, 9, 1, 2, 0, 3, true, false}, kernel, 1);   // 1x1 stride 2: point loads
        }
        if (tensor_cores(kernel) && has_yield_twin(kernel)) fails += check_persistent_twin(kernel);
    }
    if (!persistent_only) {
        // K = 1170 (74 slices): splits of 25 slices; 16 splits of 5 (the last 14 slices short);
        // K = 72 (5 slices) in 7 splits: chunks of 1, the last two empty; one split: no combine.
        for (int splits : {3, 16}) fails += check_split_k({130, 20, 5, 5, 3, 1, 1, 2, true, true}, splits);
        fails += check_split_k({8, 36, 5, 5, 3, 1, 1, 3, true, true}, 7);
        fails += check_split_k({600, 68, 6, 6, 1, 1, 0, 3, true, false}, 1);
        fails += check_split_k({40, 68, 6, 6, 1, 1, 0, 3, true, true}, 2);   // vector loads
        if (split_arrivals_left) { printf("FAIL: %d split-K launches left an arrival count\n", split_arrivals_left); fails++; }
    }
    if (misaligned) { printf("FAIL: %d misaligned 16-byte copies\n", misaligned.load()); fails++; }
    if (!persistent_only && (by_loads_launches[0] == 0 || by_loads_launches[1] == 0 || by_loads_launches[2] == 0)) {
        printf("FAIL: the kernels by kind of load ran vector %d, point %d, gather %d times\n", by_loads_launches[0].load(),
               by_loads_launches[1].load(), by_loads_launches[2].load());
        fails++;
    }
    // pooling
    if (!tf32_only) {
        int b = 2, c = 5, h = 37, w = 23, oh = (h + 2 - 3)/2 + 1, ow = (w + 2 - 3)/2 + 1;
        std::vector<float> in(b*c*h*w), out(b*c*oh*ow, NAN);
        std::mt19937 rng(1); std::normal_distribution<float> nd;
        for (auto& v : in) v = -std::fabs(nd(rng)) - 1;
        int total = out.size();
        launch(D3{(unsigned)((total + 255)/256), 1, 1}, 256, [&] { max_pool2d(in.data(), out.data(), b, c, h, w, oh, ow, 3, 2, 1); });
        int bad = 0;
        for (int pl = 0; pl < b*c; pl++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
            float best = -INFINITY;
            for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) { int iy = y*2-1+ky, ix = x*2-1+kx; if (iy>=0&&iy<h&&ix>=0&&ix<w) best = std::max(best, in[(pl*h+iy)*w+ix]); }
            if (out[(pl*oh+y)*ow+x] != best) bad++;
        }
        printf("maxpool: %d mismatches\n", bad); fails += bad != 0;
        if (!persistent_only) {
            // The yieldable twin: the flag goes up at the third block's entry check (blocks run one
            // after another here), so blocks 0-2 finish and the rest stop before any work.
            unsigned blocks = (unsigned)((total + 255)/256);
            fails += check_entry_yield("maxpool yield", blocks, 3, out, [&](float* o, int* state, int* record) {
                max_pool2d_yield(in.data(), o, b, c, h, w, oh, ow, 3, 2, 1, (const volatile int*) &yield_flag, state,
                                 (volatile int*) record);
            });
        }
        fails += check_pool_persistent(in, out, b, c, h, w, oh, ow);
        if (!persistent_only) {
            std::vector<float> g(b*c, NAN);
            launch(D3{1, 1, 1}, 256, [&] { global_avg_pool(in.data(), g.data(), b*c, h*w); });
            int gbad = 0;
            for (int pl = 0; pl < b*c; pl++) { double s = 0; for (int i = 0; i < h*w; i++) s += in[pl*h*w+i]; if (std::fabs(g[pl] - s/(h*w)) > 1e-5*std::fabs(s/(h*w))) gbad++; }
            printf("gap: %d mismatches\n", gbad); fails += gbad != 0;
            // Its yieldable twin, 300 planes in 2 blocks: the flag goes up at the first block's entry
            // check (after its read), so block 0 finishes and block 1 stops.
            int gplanes = 300;
            unsigned gblocks = (unsigned)((gplanes + 255)/256);
            std::vector<float> gin(gplanes * 9);
            for (auto& v : gin) v = nd(rng);
            std::vector<float> gplain(gplanes, NAN);
            launch(D3{gblocks, 1, 1}, 256, [&] { global_avg_pool(gin.data(), gplain.data(), gplanes, 9); });
            fails += check_entry_yield("gap yield", gblocks, 1, gplain, [&](float* o, int* state, int* record) {
                global_avg_pool_yield(gin.data(), o, gplanes, 9, (const volatile int*) &yield_flag, state, (volatile int*) record);
            });
        }
    }
    printf("%s\n", fails ? "FAILURES" : "ALL OK");
    return fails != 0;
}
