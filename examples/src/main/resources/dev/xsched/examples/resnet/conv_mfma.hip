// FP32 convolutions on AMD's matrix cores (MFMA), appended after resnet_kernels.hip and
// conv_tf32.hip. Compiled only for the CDNA GPUs this repository can compile and check them for
// without a GPU (gfx908, MI100; gfx90a, MI200: Debian's hiprtc 5.2.3 builds both, and cannot
// target gfx94x) and in the CPU emulation (XSCHED_MFMA_EMULATED, kernel_emulator.cpp); elsewhere
// this file is empty, and ResNetKernels launches the FP32-core kernels.
//
// The kernels are resnet_kernels.hip's implicit GEMM (the same loads, staging, yield checks,
// epilogue, grid and arguments) with MatrixCoreMath doing each slice's products:
// v_mfma_f32_16x16x4f32, FP32 operands and FP32 accumulation, so the results are FP32's (within
// the same bound as the FP32-core kernels; only the order of the additions differs). A 64-lane
// wavefront multiplies a 16 x 4 block of Wt^T by a 4 x 16 block of X into a 16 x 16 block of the
// tile; the block's 4 wavefronts split the tile 2 x 2.
#if defined(XSCHED_MFMA_EMULATED) || defined(__gfx908__) || defined(__gfx90a__)

#ifndef XSCHED_MFMA_EMULATED
// Four FP32 accumulators per lane, as the builtin takes and returns them.
typedef float xsched_f32x4 __attribute__((__vector_size__(4 * sizeof(float))));

// d = a * b + c over a 64-lane wavefront, lane l giving A[l % 16][l / 16] (a) and B[l / 16][l % 16]
// (b), and holding D[4 (l / 16) + v][l % 16] in d[v] (AMD's lane layout of v_mfma_f32_16x16x4f32).
__device__ __forceinline__ xsched_f32x4 xsched_mfma_16x16x4(float a, float b, xsched_f32x4 c) {
    return __builtin_amdgcn_mfma_f32_16x16x4f32(a, b, c, 0, 0, 0);
}
#endif

// The products of a BM x BN tile on the matrix cores, in a block of 256 threads (as every
// convolution's): wavefront w (of 4) owns the quarter of the tile at rows (w % 2) BM/2, columns
// (w / 2) BN/2, as SM x SN blocks of 16 x 16, each four accumulators per lane. Per step of 4 in K
// a lane reads one Wt value per block row and one X value per block column from shared memory (16
// consecutive floats per 16 lanes) and issues SM x SN MFMAs.
template <int BM, int BN, int BK>
struct MatrixCoreMath {
    static_assert(BK % 4 == 0, "K steps of 4");
    static_assert(BM % 32 == 0 && BN % 32 == 0, "a quarter of the tile is whole 16 x 16 blocks");
    static constexpr int SM = BM / 32;
    static constexpr int SN = BN / 32;
    // Accumulator (i, j): block row i / 4, its row 4 (lane / 16) + i % 4; block column j.
    static constexpr int ROWS = 4 * SM;
    static constexpr int COLS = SN;
    int lane, m_base, n_base;
    xsched_f32x4 acc[SM][SN];

    __device__ __forceinline__ explicit MatrixCoreMath(int tid)
            : lane(tid % 64), m_base((tid / 64) % 2 * (BM / 2)), n_base((tid / 64) / 2 * (BN / 2)) {
#pragma unroll
        for (int r = 0; r < SM; r++)
#pragma unroll
            for (int c = 0; c < SN; c++)
#pragma unroll
                for (int v = 0; v < 4; v++) acc[r][c][v] = 0.0f;
    }

    __device__ __forceinline__ void multiply(const float (*As)[BM], const float (*Bs)[BN]) {
        const int k = lane / 16;
        const int i = lane % 16;
#pragma unroll
        for (int k0 = 0; k0 < BK; k0 += 4) {
            float a[SM];
            float b[SN];
#pragma unroll
            for (int r = 0; r < SM; r++) a[r] = As[k0 + k][m_base + 16 * r + i];
#pragma unroll
            for (int c = 0; c < SN; c++) b[c] = Bs[k0 + k][n_base + 16 * c + i];
#pragma unroll
            for (int r = 0; r < SM; r++)
#pragma unroll
                for (int c = 0; c < SN; c++) acc[r][c] = xsched_mfma_16x16x4(a[r], b[c], acc[r][c]);
        }
    }

    __device__ __forceinline__ int row(int i) const { return m_base + 16 * (i / 4) + 4 * (lane / 16) + i % 4; }
    __device__ __forceinline__ int col(int j) const { return n_base + 16 * j + lane % 16; }
    __device__ __forceinline__ float value(int i, int j) const { return acc[i / 4][j][i % 4]; }
};

// 128 x 128 tiles, K slices of 8 (as conv2d_igemm_128x128): 64 accumulators per lane.
extern "C" __global__ void __launch_bounds__(256)
conv2d_mfma_128x128(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                    const float* __restrict__ residual, float* __restrict__ out,
                    int batch, int C, int H, int W, int Cout, int OH, int OW,
                    int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_implicit_gemm<128, 128, 8, MatrixCoreMath<128, 128, 8>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                   OH, OW, KH, KW, stride, pad, flags,
                                                                   xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256)
conv2d_mfma_128x128_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                          const float* __restrict__ residual, float* __restrict__ out,
                          int batch, int C, int H, int W, int Cout, int OH, int OW,
                          int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_implicit_gemm<128, 128, 8, MatrixCoreMath<128, 128, 8>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                   OH, OW, KH, KW, stride, pad, flags, (int) blockIdx.x,
                                                                   XSCHED_YIELD_CONTEXT);
}

// 64 x 64 tiles, K slices of 16 (as conv2d_igemm_64x64): 16 accumulators per lane.
extern "C" __global__ void __launch_bounds__(256)
conv2d_mfma_64x64(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                  const float* __restrict__ residual, float* __restrict__ out,
                  int batch, int C, int H, int W, int Cout, int OH, int OW,
                  int KH, int KW, int stride, int pad, int flags, int xsched_offset) {
    conv2d_implicit_gemm<64, 64, 16, MatrixCoreMath<64, 64, 16>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                 OH, OW, KH, KW, stride, pad, flags,
                                                                 xsched_block_x(xsched_offset), xsched_yield_t{0, 0, 0});
}

extern "C" __global__ void __launch_bounds__(256)
conv2d_mfma_64x64_yield(const float* __restrict__ in, const float* __restrict__ wt, const float* __restrict__ bias,
                        const float* __restrict__ residual, float* __restrict__ out,
                        int batch, int C, int H, int W, int Cout, int OH, int OW,
                        int KH, int KW, int stride, int pad, int flags, XSCHED_YIELD_PARAMS) {
    conv2d_implicit_gemm<64, 64, 16, MatrixCoreMath<64, 64, 16>>(in, wt, bias, residual, out, batch, C, H, W, Cout,
                                                                 OH, OW, KH, KW, stride, pad, flags, (int) blockIdx.x,
                                                                 XSCHED_YIELD_CONTEXT);
}

#endif
