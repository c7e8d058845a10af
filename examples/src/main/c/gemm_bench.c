/*
 * gemm_bench.c: the C twin of `xsched bench gemm` (dev.xsched.examples.bench.GemmBenchmark).
 * One cuBLAS GEMM, C = A B on N x N FP32 matrices with TF32 compute (cublasGemmEx,
 * CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT), in the primary context of device 0 (the CUDA
 * runtime's and hip-ffm's), on a non-blocking stream of the lowest priority. Same data (uniform
 * [-1, 1)), same timing (an event before and after each GEMM, --iterations after --warmup; and the
 * wall time of all iterations back to back, CLOCK_MONOTONIC), same output as the Java program.
 *
 * Build on the GPU host (run-gemm-comparison.sh does):
 *   gcc -O2 gemm_bench.c -I/usr/local/cuda/include -L/usr/local/cuda/lib64 -lcuda -lcublas -o gemm_bench
 * Run:
 *   ./gemm_bench [--size N] [--iterations N] [--warmup N] [--compute tf32|fp32|bf16]
 */
#include <cublas_v2.h>
#include <cuda.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_CU(call)                                                                             \
    do {                                                                                           \
        CUresult rc_ = (call);                                                                     \
        if (rc_ != CUDA_SUCCESS) {                                                                 \
            const char *name_ = NULL;                                                              \
            cuGetErrorName(rc_, &name_);                                                           \
            fprintf(stderr, "gemm_bench: %s failed: %s (%d)\n", #call, name_ ? name_ : "?", (int)rc_); \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_BLAS(call)                                                                           \
    do {                                                                                           \
        cublasStatus_t rc_ = (call);                                                               \
        if (rc_ != CUBLAS_STATUS_SUCCESS) {                                                        \
            fprintf(stderr, "gemm_bench: %s failed: %s (%d)\n", #call, cublasGetStatusName(rc_), (int)rc_); \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int n = 8192, iterations = 50, warmup = 10;
    const char *compute_name = "tf32";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--size")) n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--iterations")) iterations = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup")) warmup = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--compute")) compute_name = argv[i + 1];
        else if (!strcmp(argv[i], "--queue")) continue; /* the Java-only option, accepted so one option list serves both */
        else {
            fprintf(stderr, "gemm_bench: unknown option %s\n", argv[i]);
            return 1;
        }
    }
    cublasComputeType_t compute;
    const char *compute_label;
    if (!strcmp(compute_name, "tf32")) { compute = CUBLAS_COMPUTE_32F_FAST_TF32; compute_label = "TF32"; }
    else if (!strcmp(compute_name, "fp32")) { compute = CUBLAS_COMPUTE_32F; compute_label = "FP32"; }
    else if (!strcmp(compute_name, "bf16")) { compute = CUBLAS_COMPUTE_32F_FAST_16BF; compute_label = "BF16"; }
    else { fprintf(stderr, "gemm_bench: --compute takes tf32, fp32 or bf16\n"); return 1; }
    if (n < 1 || iterations < 1 || warmup < 0) { fprintf(stderr, "gemm_bench: bad sizes\n"); return 1; }

    CHECK_CU(cuInit(0));
    CUdevice device;
    CUcontext context;
    char name[256];
    CHECK_CU(cuDeviceGet(&device, 0));
    CHECK_CU(cuDeviceGetName(name, sizeof name, device));
    CHECK_CU(cuDevicePrimaryCtxRetain(&context, device));
    CHECK_CU(cuCtxSetCurrent(context));
    int least, greatest;
    CHECK_CU(cuCtxGetStreamPriorityRange(&least, &greatest));
    CUstream stream;
    CHECK_CU(cuStreamCreateWithPriority(&stream, CU_STREAM_NON_BLOCKING, least));

    size_t bytes = (size_t)n * n * sizeof(float);
    float *host = malloc(bytes);
    CUdeviceptr a, b, c;
    CHECK_CU(cuMemAlloc(&a, bytes));
    CHECK_CU(cuMemAlloc(&b, bytes));
    CHECK_CU(cuMemAlloc(&c, bytes));
    uint64_t state = 42;
    CUdeviceptr inputs[2] = {a, b};
    for (int m = 0; m < 2; m++) {
        for (size_t i = 0; i < (size_t)n * n; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            host[i] = (float)((state >> 11) * (1.0 / 9007199254740992.0) * 2 - 1);
        }
        CHECK_CU(cuMemcpyHtoD(inputs[m], host, bytes));
    }
    free(host);

    cublasHandle_t handle;
    CHECK_BLAS(cublasCreate(&handle));
    CHECK_BLAS(cublasSetStream(handle, (cudaStream_t)stream));
    const float alpha = 1.0f, beta = 0.0f;
#define GEMM()                                                                                     \
    CHECK_BLAS(cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &alpha, (const void *)a, CUDA_R_32F, n, \
                            (const void *)b, CUDA_R_32F, n, &beta, (void *)c, CUDA_R_32F, n, compute,  \
                            CUBLAS_GEMM_DEFAULT))
    for (int i = 0; i < warmup; i++) GEMM();
    CHECK_CU(cuStreamSynchronize(stream));

    CUevent *events = malloc(sizeof(CUevent) * (iterations + 1));
    for (int i = 0; i <= iterations; i++) CHECK_CU(cuEventCreate(&events[i], CU_EVENT_DEFAULT));
    double start = now_s();
    CHECK_CU(cuEventRecord(events[0], stream));
    for (int i = 1; i <= iterations; i++) {
        GEMM();
        CHECK_CU(cuEventRecord(events[i], stream));
    }
    CHECK_CU(cuStreamSynchronize(stream));
    double wall = now_s() - start;
    double *millis = malloc(sizeof(double) * iterations);
    for (int i = 0; i < iterations; i++) {
        float ms;
        CHECK_CU(cuEventElapsedTime(&ms, events[i], events[i + 1]));
        millis[i] = ms;
    }
    qsort(millis, iterations, sizeof(double), compare_double);
    double median = millis[(iterations - 1) / 2], best = millis[0];
    double flops = 2.0 * n * (double)n * n;
    printf("gemm benchmark: c, %s, %s GEMM %d^3, %d iterations after %d warm-up\n", name, compute_label, n, iterations, warmup);
    printf("  per GEMM (events): median %.3f ms (%.1f TFLOP/s), best %.3f ms (%.1f TFLOP/s)\n", median,
           flops / (median * 1e-3) / 1e12, best, flops / (best * 1e-3) / 1e12);
    printf("  back to back (wall): %.3f s, %.1f TFLOP/s\n", wall, flops * iterations / wall / 1e12);
    printf("JSON {\"impl\":\"c\",\"device\":\"%s\",\"size\":%d,\"compute\":\"%s\",\"iterations\":%d,\"warmup\":%d,"
           "\"median_ms\":%.4f,\"best_ms\":%.4f,\"tflops_median\":%.1f,\"wall_s\":%.4f,\"tflops_wall\":%.1f}\n",
           name, n, compute_label, iterations, warmup, median, best, flops / (median * 1e-3) / 1e12, wall,
           flops * iterations / wall / 1e12);

    for (int i = 0; i <= iterations; i++) CHECK_CU(cuEventDestroy(events[i]));
    CHECK_BLAS(cublasDestroy(handle));
    CHECK_CU(cuMemFree(a));
    CHECK_CU(cuMemFree(b));
    CHECK_CU(cuMemFree(c));
    CHECK_CU(cuStreamDestroy(stream));
    CHECK_CU(cuDevicePrimaryCtxRelease(device));
    free(events);
    free(millis);
    return 0;
}
