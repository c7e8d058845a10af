// Runs resnet_kernels.hip on the CPU, to check the kernels' indexing, tiling and barriers without
// a GPU: one std::thread per GPU thread, blocks one after another, a std::barrier as
// __syncthreads(), __shared__ arrays as statics (shared by the threads of the one running block).
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
#include <cstring>
struct D3 { unsigned x = 0, y = 0, z = 0; };
thread_local D3 threadIdx;
D3 blockIdx, blockDim, gridDim;
std::barrier<>* bar;
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __shared__ static
inline void __syncthreads() { bar->arrive_and_wait(); }
// Whether any thread of the block passed a non-zero predicate (used by the yield prelude).
static std::atomic<int> syncthreads_or_acc{0};
inline int __syncthreads_or(int predicate) {
    bar->arrive_and_wait();
    if (predicate) syncthreads_or_acc = 1;
    bar->arrive_and_wait();
    int any = syncthreads_or_acc;
    bar->arrive_and_wait();
    if (threadIdx.x == 0) syncthreads_or_acc = 0;
    bar->arrive_and_wait();
    return any;
}
#include KERNEL_SOURCE

void launch(D3 grid, int threads, std::function<void()> body) {
    gridDim = grid; blockDim = {(unsigned)threads, 1, 1};
    for (unsigned by = 0; by < grid.y; by++) for (unsigned bx = 0; bx < grid.x; bx++) {
        blockIdx = {bx, by, 0};
        std::barrier<> b(threads); bar = &b;
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; t++) ts.emplace_back([&, t] { threadIdx = {(unsigned)t, 0, 0}; body(); });
        for (auto& th : ts) th.join();
    }
}

// Runs a convolution over grid blocks in slices of `slice` blocks (0: one launch), each slice a
// launch of its own grid with its block offset as the last argument, as CommandQueue.launchSliced does.
void run_conv(const std::vector<float>& in, const std::vector<float>& wk, const std::vector<float>& bias,
              const std::vector<float>* resid, std::vector<float>& out, int batch, int cin, int h, int w, int cout,
              int oh, int ow, int k, int s, int p, int flags, bool large, unsigned grid, unsigned slice) {
    if (slice == 0) slice = grid;
    for (unsigned offset = 0; offset < grid; offset += slice) {
        unsigned blocks = std::min(slice, grid - offset);
        int off = (int) offset;
        launch(D3{blocks, 1, 1}, 256, [&] {
            const float* r = resid ? resid->data() : out.data();
            if (large) conv2d_igemm_128x128(in.data(), wk.data(), bias.data(), r, out.data(), batch, cin, h, w, cout, oh, ow, k, k, s, p, flags, off);
            else conv2d_igemm_64x64(in.data(), wk.data(), bias.data(), r, out.data(), batch, cin, h, w, cout, oh, ow, k, k, s, p, flags, off);
        });
    }
}

// A sliced convolution equals the unsliced one bit for bit, for several slice sizes.
int check_sliced(int cin, int cout, int h, int w, int k, int s, int p, int batch, bool res, bool relu, bool large) {
    int oh = (h + 2*p - k)/s + 1, ow = (w + 2*p - k)/s + 1;
    std::mt19937 rng(cin * 17 + cout * 5 + h + k + batch + 99);
    std::normal_distribution<float> nd;
    std::vector<float> in(batch*cin*h*w), wk(cout*cin*k*k), bias(cout), resid(batch*cout*oh*ow);
    for (auto& v : in) v = nd(rng); for (auto& v : wk) v = nd(rng); for (auto& v : bias) v = nd(rng); for (auto& v : resid) v = nd(rng);
    int N = batch*oh*ow; int bm = large ? 128 : 64;
    unsigned grid = (unsigned)(((N + bm - 1)/bm) * ((cout + bm - 1)/bm));
    int flags = (relu ? 1 : 0) | (res ? 2 : 0);
    std::vector<float> whole(resid.size(), NAN);
    run_conv(in, wk, bias, res ? &resid : nullptr, whole, batch, cin, h, w, cout, oh, ow, k, s, p, flags, large, grid, 0);
    int fails = 0;
    for (unsigned slice : {1u, 2u, 3u, grid > 1 ? grid - 1 : 1u}) {
        std::vector<float> out(resid.size(), NAN);
        run_conv(in, wk, bias, res ? &resid : nullptr, out, batch, cin, h, w, cout, oh, ow, k, s, p, flags, large, grid, slice);
        int diff = 0;
        for (size_t i = 0; i < out.size(); i++) if (std::memcmp(&out[i], &whole[i], sizeof(float)) != 0) diff++;
        printf("%s sliced cin=%d cout=%d %dx%d k=%d s=%d b=%d grid=%u slice=%u: %d differing elements %s\n", large ? "128" : " 64",
               cin, cout, h, w, k, s, batch, grid, slice, diff, diff ? "FAIL" : "ok");
        fails += diff != 0;
    }
    return fails;
}

int check(int cin, int cout, int h, int w, int k, int s, int p, int batch, bool res, bool relu, bool large) {
    int oh = (h + 2*p - k)/s + 1, ow = (w + 2*p - k)/s + 1;
    std::mt19937 rng(cin * 31 + cout * 7 + h + k + batch);
    std::normal_distribution<float> nd;
    std::vector<float> in(batch*cin*h*w), wt(cout*cin*k*k), bias(cout), resid(batch*cout*oh*ow), out(resid.size(), NAN);
    for (auto& v : in) v = nd(rng); for (auto& v : wt) v = nd(rng); for (auto& v : bias) v = nd(rng); for (auto& v : resid) v = nd(rng);
    int K = cin*k*k;
    std::vector<float> wk(wt.size());
    for (int co = 0; co < cout; co++) for (int r = 0; r < K; r++) wk[r*cout + co] = wt[co*K + r];
    int N = batch*oh*ow; int bm = large ? 128 : 64;
    D3 grid{(unsigned)(((N + bm - 1)/bm) * ((cout + bm - 1)/bm)), 1, 1};
    int flags = (relu ? 1 : 0) | (res ? 2 : 0);
    run_conv(in, wk, bias, res ? &resid : nullptr, out, batch, cin, h, w, cout, oh, ow, k, s, p, flags, large, grid.x, 0);
    double worst = 0, scale = 1e-6;
    std::vector<double> ref(out.size());
    for (int b = 0; b < batch; b++) for (int co = 0; co < cout; co++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
        double sum = bias[co];
        for (int ci = 0; ci < cin; ci++) for (int ky = 0; ky < k; ky++) for (int kx = 0; kx < k; kx++) {
            int iy = y*s - p + ky, ix = x*s - p + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            sum += (double) in[((b*cin + ci)*h + iy)*w + ix] * wt[((co*cin + ci)*k + ky)*k + kx];
        }
        int o = ((b*cout + co)*oh + y)*ow + x;
        if (res) sum += resid[o];
        if (relu) sum = std::max(sum, 0.0);
        ref[o] = sum; scale = std::max(scale, std::fabs(sum));
    }
    int bad = 0;
    for (size_t i = 0; i < out.size(); i++) {
        if (!std::isfinite(out[i])) { bad++; continue; }
        worst = std::max(worst, std::fabs(out[i] - ref[i]) / scale);
    }
    printf("%s cin=%d cout=%d %dx%d k=%d s=%d p=%d b=%d res=%d relu=%d: nonfinite=%d worst=%.2e %s\n", large ? "128" : " 64",
           cin, cout, h, w, k, s, p, batch, res, relu, bad, worst, (bad || worst > 1e-5) ? "FAIL" : "ok");
    return bad || worst > 1e-5;
}

int main() {
    int fails = 0;
    for (int large = 0; large < 2; large++) {
        fails += check(3, 64, 23, 19, 7, 2, 3, 1, false, true, large);
        fails += check(3, 64, 23, 19, 7, 2, 3, 3, false, true, large);
        fails += check(16, 40, 15, 15, 3, 1, 1, 3, false, true, large);
        fails += check(24, 72, 17, 13, 3, 2, 1, 1, false, true, large);
        fails += check(32, 130, 9, 9, 1, 2, 0, 3, false, false, large);
        fails += check(130, 20, 5, 5, 3, 1, 1, 1, false, false, large);
        fails += check(16, 48, 11, 11, 3, 1, 1, 2, true, true, large);
        fails += check(33, 129, 6, 7, 1, 1, 0, 3, true, false, large);
        fails += check(200, 150, 1, 1, 1, 1, 0, 3, false, false, large);
        fails += check_sliced(16, 40, 15, 15, 3, 1, 1, 3, false, true, large);
        fails += check_sliced(33, 129, 6, 7, 1, 1, 0, 3, true, false, large);
        fails += check_sliced(24, 200, 17, 13, 3, 2, 1, 2, false, true, large);
    }
    // pooling
    {
        int b = 2, c = 5, h = 17, w = 13, oh = (h + 2 - 3)/2 + 1, ow = (w + 2 - 3)/2 + 1;
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
        std::vector<float> g(b*c, NAN);
        launch(D3{1, 1, 1}, 256, [&] { global_avg_pool(in.data(), g.data(), b*c, h*w); });
        int gbad = 0;
        for (int pl = 0; pl < b*c; pl++) { double s = 0; for (int i = 0; i < h*w; i++) s += in[pl*h*w+i]; if (std::fabs(g[pl] - s/(h*w)) > 1e-5*std::fabs(s/(h*w))) gbad++; }
        printf("gap: %d mismatches\n", gbad); fails += gbad != 0;
    }
    printf("%s\n", fails ? "FAILURES" : "ALL OK");
    return fails != 0;
}
