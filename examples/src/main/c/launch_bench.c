/*
 * launch_bench.c: the C twin of `xsched bench launch` (dev.xsched.examples.bench.LaunchBenchmark).
 * Through the CUDA driver API, on device 0: the launch + synchronize round trip of an empty kernel
 * (median, P99 over --iterations after --warmup) and the throughput of --launches back-to-back
 * launches followed by one synchronize (after one such round unmeasured). Same kernel, same context (the primary one), same stream
 * kind (non-blocking, lowest priority), same clock (CLOCK_MONOTONIC, as System.nanoTime), same
 * nearest-rank percentiles and the same output as the Java program, so the two compare directly.
 *
 * Build on the GPU host:
 *   gcc -O2 launch_bench.c -I/usr/local/cuda/include -L/usr/local/cuda/lib64 -lcuda -lnvrtc -o launch_bench
 * Run:
 *   ./launch_bench [--iterations N] [--warmup N] [--launches N]
 */
#include <cuda.h>
#include <nvrtc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_CU(call)                                                                             \
    do {                                                                                           \
        CUresult rc_ = (call);                                                                     \
        if (rc_ != CUDA_SUCCESS) {                                                                 \
            const char *name_ = NULL, *text_ = NULL;                                               \
            cuGetErrorName(rc_, &name_);                                                           \
            cuGetErrorString(rc_, &text_);                                                         \
            fprintf(stderr, "launch_bench: %s failed: %s (%d): %s\n", #call, name_ ? name_ : "?",  \
                    (int)rc_, text_ ? text_ : "?");                                                \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_NVRTC(call)                                                                          \
    do {                                                                                           \
        nvrtcResult rc_ = (call);                                                                  \
        if (rc_ != NVRTC_SUCCESS) {                                                                \
            fprintf(stderr, "launch_bench: %s failed: %s (%d)\n", #call, nvrtcGetErrorString(rc_), \
                    (int)rc_);                                                                     \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

/* The same source as LaunchBenchmark.EMPTY_KERNEL. */
static const char *EMPTY_KERNEL = "extern \"C\" __global__ void empty_kernel() { }\n";

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The sample at rank ceil(p * n), 1-based: LatencyStats.nearestRank. */
static long long nearest_rank(const long long *sorted, int n, double p) {
    long long rank = (long long)(p * n);
    if ((double)rank < p * n) rank++;
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static int parse_count(const char *option, const char *value, int minimum) {
    char *end = NULL;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < minimum || v > 1000000000L) {
        fprintf(stderr, "launch_bench: %s needs a number >= %d, got '%s'\n", option, minimum, value);
        exit(1);
    }
    return (int)v;
}

/* Compiles the empty kernel for the device's own architecture, to a CUBIN, as the Java side does. */
static char *compile_cubin(int major, int minor, size_t *size) {
    nvrtcProgram program;
    CHECK_NVRTC(nvrtcCreateProgram(&program, EMPTY_KERNEL, "empty_kernel.cu", 0, NULL, NULL));
    char arch[64];
    snprintf(arch, sizeof arch, "--gpu-architecture=sm_%d%d", major, minor);
    const char *options[] = {arch};
    nvrtcResult rc = nvrtcCompileProgram(program, 1, options);
    if (rc != NVRTC_SUCCESS) {
        size_t log_size = 0;
        nvrtcGetProgramLogSize(program, &log_size);
        char *log = malloc(log_size + 1);
        if (log != NULL && nvrtcGetProgramLog(program, log) == NVRTC_SUCCESS) {
            fprintf(stderr, "%s\n", log);
        }
        fprintf(stderr, "launch_bench: nvrtcCompileProgram(%s) failed: %s\n", arch, nvrtcGetErrorString(rc));
        exit(2);
    }
    CHECK_NVRTC(nvrtcGetCUBINSize(program, size));
    char *cubin = malloc(*size);
    if (cubin == NULL) {
        fprintf(stderr, "launch_bench: out of memory\n");
        exit(2);
    }
    CHECK_NVRTC(nvrtcGetCUBIN(program, cubin));
    CHECK_NVRTC(nvrtcDestroyProgram(&program));
    return cubin;
}

int main(int argc, char **argv) {
    int iterations = 20000, warmup = 20000, launches = 100000;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "launch_bench: option %s needs a value\n", argv[i]);
            return 1;
        }
        if (strcmp(argv[i], "--iterations") == 0) iterations = parse_count(argv[i], argv[i + 1], 1);
        else if (strcmp(argv[i], "--warmup") == 0) warmup = parse_count(argv[i], argv[i + 1], 0);
        else if (strcmp(argv[i], "--launches") == 0) launches = parse_count(argv[i], argv[i + 1], 1);
        else {
            fprintf(stderr, "launch_bench: unknown option %s (options: --iterations N, --warmup N, --launches N)\n", argv[i]);
            return 1;
        }
        i++;
    }

    CUdevice device;
    CUcontext context;
    char name[256];
    int major, minor;
    CHECK_CU(cuInit(0));
    CHECK_CU(cuDeviceGet(&device, 0));
    CHECK_CU(cuDeviceGetName(name, sizeof name, device));
    CHECK_CU(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
    CHECK_CU(cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
    for (char *c = name; *c; c++) {
        if (*c == '"') *c = '\''; /* keep the JSON line valid */
    }
    CHECK_CU(cuDevicePrimaryCtxRetain(&context, device));
    CHECK_CU(cuCtxSetCurrent(context));

    size_t cubin_size = 0;
    char *cubin = compile_cubin(major, minor, &cubin_size);
    CUmodule module;
    CUfunction empty;
    CHECK_CU(cuModuleLoadData(&module, cubin));
    CHECK_CU(cuModuleGetFunction(&empty, module, "empty_kernel"));

    int least, greatest;
    CHECK_CU(cuCtxGetStreamPriorityRange(&least, &greatest));
    CUstream stream;
    CHECK_CU(cuStreamCreateWithPriority(&stream, CU_STREAM_NON_BLOCKING, least));

    for (int i = 0; i < warmup; i++) {
        CHECK_CU(cuLaunchKernel(empty, 1, 1, 1, 1, 1, 1, 0, stream, NULL, NULL));
        CHECK_CU(cuStreamSynchronize(stream));
    }
    long long *nanos = malloc(sizeof(long long) * (size_t)iterations);
    if (nanos == NULL) {
        fprintf(stderr, "launch_bench: out of memory\n");
        return 2;
    }
    for (int i = 0; i < iterations; i++) {
        long long start = now_ns();
        CHECK_CU(cuLaunchKernel(empty, 1, 1, 1, 1, 1, 1, 0, stream, NULL, NULL));
        CHECK_CU(cuStreamSynchronize(stream));
        nanos[i] = now_ns() - start;
    }

    /* One unmeasured back-to-back round first, as the Java program does (its JIT compiles the loop
     * in it), so both measure the steady state of this pattern. */
    double seconds = 0;
    for (int round = 0; round < 2; round++) {
        long long start = now_ns();
        for (int i = 0; i < launches; i++) {
            CHECK_CU(cuLaunchKernel(empty, 1, 1, 1, 1, 1, 1, 0, stream, NULL, NULL));
        }
        CHECK_CU(cuStreamSynchronize(stream));
        seconds = (now_ns() - start) / 1e9;
    }

    qsort(nanos, (size_t)iterations, sizeof(long long), compare_ll);
    double sum = 0;
    for (int i = 0; i < iterations; i++) sum += (double)nanos[i];
    double median = nearest_rank(nanos, iterations, 0.50) / 1000.0;
    double p99 = nearest_rank(nanos, iterations, 0.99) / 1000.0;
    double mean = sum / iterations / 1000.0;
    double min = nanos[0] / 1000.0, max = nanos[iterations - 1] / 1000.0;
    double per_second = launches / seconds;

    printf("launch benchmark: c, platform nvidia, %s (sm_%d%d)\n", name, major, minor);
    printf("  %-44s %10s %10s %10s %10s\n", "", "median", "p99", "mean", "min");
    char label[64];
    snprintf(label, sizeof label, "round trip (launch + sync), %d iterations", iterations);
    printf("  %-44s %7.2f us %7.2f us %7.2f us %7.2f us\n", label, median, p99, mean, min);
    printf("  %-44s %.0f launches/s (%d launches in %.3f s)\n", "throughput (back-to-back, one sync)", per_second,
           launches, seconds);
    printf("JSON {\"impl\":\"c\",\"platform\":\"nvidia\",\"device\":\"%s\",\"arch\":\"sm_%d%d\",\"iterations\":%d,"
           "\"warmup\":%d,\"roundtrip_us\":{\"median\":%.3f,\"p99\":%.3f,\"mean\":%.3f,\"min\":%.3f,\"max\":%.3f},"
           "\"throughput\":{\"launches\":%d,\"seconds\":%.6f,\"launches_per_s\":%.0f}}\n",
           name, major, minor, iterations, warmup, median, p99, mean, min, max, launches, seconds, per_second);

    CHECK_CU(cuStreamDestroy(stream));
    CHECK_CU(cuModuleUnload(module));
    CHECK_CU(cuDevicePrimaryCtxRelease(device));
    free(nanos);
    free(cubin);
    return 0;
}
