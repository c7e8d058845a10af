/*
 * sync_point_cost.c: what a sync point costs the GPU between back-to-back kernels, without Java.
 *
 * Why (issue 15, docs/reliability.md): an XQueue at the default threshold 16 and batch size 8
 * records an event (blocking sync, no timing) after every 8th command, and its completion thread
 * waits on those events; back to back with 5 us kernels the XQueue takes 1.03-1.05x the stream's
 * time at 16/8 and 1.006x at 256/64 (one event per 64). Whether that is what the event record
 * costs on the GPU, what a host thread blocked on the events costs, or the queue's own host work,
 * this program tells: on one stream (non-blocking, lowest priority, the primary context), --launches
 * one-thread kernels back to back and one synchronize, for the empty kernel and a kernel spinning
 * about 5 us (clock64 for the device's nominal clock rate times 5 us), with after every k-th kernel:
 *   none            nothing (the plain stream of `xsched bench launch`)
 *   event/k         cuEventRecord of an event from a pool (CU_EVENT_BLOCKING_SYNC | DISABLE_TIMING)
 *   event+wait/k    the same, and a second host thread cuEventSynchronize-ing each recorded event
 *                   in order, as the XQueue's completion thread does
 *   write/k         cuStreamWriteValue32 of the kernel's count to pinned, device-mapped host memory
 *                   (a marker a host thread could poll instead of an event)
 *   launch-event/k  no marker on the stream: the k-th kernel itself is launched with cuLaunchKernelEx
 *                   and the attribute CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_EVENT (programmatic dependent
 *                   launch, sm_90 and newer), whose event triggers once all its blocks have exited
 *                   or triggered it; "+wait" as above. A host thread may observe that event late
 *                   (cuda.h says so), so it is not a completion marker the XQueue could use; it
 *                   shows whether a marker carried by the launch costs the stream less. Skipped,
 *                   with the driver's reason, where the driver refuses it.
 * for k = 8 and 64, in alternating orders over --rounds rounds, each after one unmeasured round.
 * Prints, per kernel and variant, the time per launch (median over the rounds, and the range) and
 * its ratio to none.
 *
 * Build and run on the GPU host (changes no GPU setting):
 *   gcc -O2 -Wall -pthread -o sync_point_cost docs/device/sync_point_cost.c -I/usr/local/cuda/include \
 *       -L/usr/local/cuda/lib64 -L/usr/local/cuda/lib64/stubs -Wl,-rpath,/usr/local/cuda/lib64 -lcuda -lnvrtc
 *   ./sync_point_cost [--launches N] [--rounds N]
 */
#include <cuda.h>
#include <nvrtc.h>

#include <pthread.h>
#include <stdatomic.h>
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
            fprintf(stderr, "sync_point_cost: %s failed: %s (%d): %s\n", #call,                    \
                    name_ ? name_ : "?", (int)rc_, text_ ? text_ : "?");                           \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_NVRTC(call)                                                                          \
    do {                                                                                           \
        nvrtcResult rc_ = (call);                                                                  \
        if (rc_ != NVRTC_SUCCESS) {                                                                \
            fprintf(stderr, "sync_point_cost: %s failed: %s (%d)\n", #call,                        \
                    nvrtcGetErrorString(rc_), (int)rc_);                                           \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

static const char *SOURCE =
    "extern \"C\" __global__ void spin(long long cycles) {\n"
    "    if (cycles <= 0) return;\n"
    "    long long start = clock64();\n"
    "    while (clock64() - start < cycles) { }\n"
    "}\n";

#define POOL 128          /* events in the pool; the submitter never runs more than POOL - 8 ahead */
#define MAX_SAMPLES 64

enum kind { NONE, EVENT, EVENT_WAIT, WRITE, LAUNCH_EVENT, LAUNCH_EVENT_WAIT };
static const char *KIND_NAMES[] = {"none", "event", "event+wait", "write", "launch-event", "launch-event+wait"};

struct variant {
    enum kind kind;
    int every;
    double seconds[MAX_SAMPLES];
    int samples;
};

static CUstream stream;
static CUfunction function;
static CUevent events[POOL];
/* The launch-event variants' own events: an event once given to a launch as its programmatic event
 * is not recorded again with cuEventRecord (round 18 c shared one pool, and the event variants
 * there stalled in some rounds). */
static CUevent launch_events[POOL];
static CUevent *pool = events;   /* the pool of the variant running */
static CUdeviceptr marker;
static CUcontext context;

/* Event+wait: the submitter publishes how many events it recorded; the waiter synchronizes them in
 * order and publishes how many it has seen complete; -1 in `recorded` ends the waiter. */
static atomic_long recorded;
static atomic_long waited;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *waiter(void *unused) {
    (void)unused;
    CHECK_CU(cuCtxSetCurrent(context));
    long next = 0;
    for (;;) {
        long r = atomic_load(&recorded);
        if (r < 0) {
            return NULL;
        }
        if (next < r) {
            CHECK_CU(cuEventSynchronize(pool[next % POOL]));
            next++;
            atomic_store(&waited, next);
        } else {
            struct timespec pause = {0, 2000};
            nanosleep(&pause, NULL);
        }
    }
}

/* The kernel launched so that `event` triggers once all its blocks have exited. */
static CUresult launch_with_event(void **params, CUevent event) {
    CUlaunchAttribute attribute;
    memset(&attribute, 0, sizeof attribute);
    attribute.id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_EVENT;
    attribute.value.programmaticEvent.event = event;
    attribute.value.programmaticEvent.flags = 0;
    attribute.value.programmaticEvent.triggerAtBlockStart = 0;
    CUlaunchConfig config;
    memset(&config, 0, sizeof config);
    config.gridDimX = config.gridDimY = config.gridDimZ = 1;
    config.blockDimX = config.blockDimY = config.blockDimZ = 1;
    config.hStream = stream;
    config.attrs = &attribute;
    config.numAttrs = 1;
    return cuLaunchKernelEx(&config, function, params, NULL);
}

/* One round: `launches` kernels of `cycles` with the variant's marker after every k-th; seconds. */
static double run(const struct variant *v, long long cycles, int launches) {
    void *params[] = {&cycles};
    pthread_t thread;
    pool = v->kind == LAUNCH_EVENT || v->kind == LAUNCH_EVENT_WAIT ? launch_events : events;
    atomic_store(&recorded, 0);
    atomic_store(&waited, 0);
    if ((v->kind == EVENT_WAIT || v->kind == LAUNCH_EVENT_WAIT) && pthread_create(&thread, NULL, waiter, NULL) != 0) {
        fprintf(stderr, "sync_point_cost: pthread_create failed\n");
        exit(2);
    }
    long count = 0;
    long long start = now_ns();
    int waits = v->kind == EVENT_WAIT || v->kind == LAUNCH_EVENT_WAIT;
    int on_launch = v->kind == LAUNCH_EVENT || v->kind == LAUNCH_EVENT_WAIT;
    for (int i = 1; i <= launches; i++) {
        int marked = v->kind != NONE && i % v->every == 0;
        if (marked && waits) {
            while (count - atomic_load(&waited) >= POOL - 8) {
                /* the waiter is POOL - 8 events behind: do not re-record one it has not seen */
            }
        }
        if (marked && on_launch) {
            CHECK_CU(launch_with_event(params, pool[count % POOL]));
        } else {
            CHECK_CU(cuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, stream, params, NULL));
        }
        if (!marked) {
            continue;
        }
        if (v->kind == WRITE) {
            CHECK_CU(cuStreamWriteValue32(stream, marker, (cuuint32_t)i, CU_STREAM_WRITE_VALUE_DEFAULT));
            continue;
        }
        if (!on_launch) {
            CHECK_CU(cuEventRecord(pool[count % POOL], stream));
        }
        count++;
        if (waits) {
            atomic_store(&recorded, count);
        }
    }
    CHECK_CU(cuStreamSynchronize(stream));
    double seconds = (now_ns() - start) / 1e9;
    if (waits) {
        while (atomic_load(&waited) < count) {
        }
        atomic_store(&recorded, -1);
        pthread_join(thread, NULL);
    }
    return seconds;
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const struct variant *v) {
    double sorted[MAX_SAMPLES];
    memcpy(sorted, v->seconds, sizeof(double) * (size_t)v->samples);
    qsort(sorted, (size_t)v->samples, sizeof(double), compare_double);
    return v->samples % 2 ? sorted[v->samples / 2] : (sorted[v->samples / 2 - 1] + sorted[v->samples / 2]) / 2;
}

static int parse_count(const char *option, const char *value, int minimum, int maximum) {
    char *end = NULL;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < minimum || v > maximum) {
        fprintf(stderr, "sync_point_cost: %s needs a number from %d to %d, got '%s'\n", option, minimum, maximum, value);
        exit(1);
    }
    return (int)v;
}

int main(int argc, char **argv) {
    int launches = 100000, rounds = 5;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) {
            fprintf(stderr, "sync_point_cost: option %s needs a value\n", argv[i]);
            return 1;
        }
        if (strcmp(argv[i], "--launches") == 0) launches = parse_count(argv[i], argv[i + 1], 64, 100000000);
        else if (strcmp(argv[i], "--rounds") == 0) rounds = parse_count(argv[i], argv[i + 1], 1, MAX_SAMPLES);
        else {
            fprintf(stderr, "sync_point_cost: unknown option %s (options: --launches N, --rounds N)\n", argv[i]);
            return 1;
        }
    }

    CUdevice device;
    int major, minor, clock_khz;
    char name[256];
    CHECK_CU(cuInit(0));
    CHECK_CU(cuDeviceGet(&device, 0));
    CHECK_CU(cuDeviceGetName(name, sizeof name, device));
    CHECK_CU(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
    CHECK_CU(cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
    CHECK_CU(cuDeviceGetAttribute(&clock_khz, CU_DEVICE_ATTRIBUTE_CLOCK_RATE, device));
    CHECK_CU(cuDevicePrimaryCtxRetain(&context, device));
    CHECK_CU(cuCtxSetCurrent(context));

    nvrtcProgram program;
    CHECK_NVRTC(nvrtcCreateProgram(&program, SOURCE, "spin.cu", 0, NULL, NULL));
    char arch[64];
    snprintf(arch, sizeof arch, "--gpu-architecture=sm_%d%d", major, minor);
    const char *options[] = {arch};
    CHECK_NVRTC(nvrtcCompileProgram(program, 1, options));
    size_t size = 0;
    CHECK_NVRTC(nvrtcGetCUBINSize(program, &size));
    char *cubin = malloc(size);
    if (cubin == NULL) {
        fprintf(stderr, "sync_point_cost: out of memory\n");
        return 2;
    }
    CHECK_NVRTC(nvrtcGetCUBIN(program, cubin));
    CUmodule module;
    CHECK_CU(cuModuleLoadData(&module, cubin));
    CHECK_CU(cuModuleGetFunction(&function, module, "spin"));

    int least, greatest;
    CHECK_CU(cuCtxGetStreamPriorityRange(&least, &greatest));
    CHECK_CU(cuStreamCreateWithPriority(&stream, CU_STREAM_NON_BLOCKING, least));
    for (int i = 0; i < POOL; i++) {
        CHECK_CU(cuEventCreate(&events[i], CU_EVENT_BLOCKING_SYNC | CU_EVENT_DISABLE_TIMING));
        CHECK_CU(cuEventCreate(&launch_events[i], CU_EVENT_BLOCKING_SYNC | CU_EVENT_DISABLE_TIMING));
    }
    void *host = NULL;
    CHECK_CU(cuMemHostAlloc(&host, 4096, CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE));
    CHECK_CU(cuMemHostGetDevicePointer(&marker, host, 0));

    /* Whether the driver takes a kernel launch with a programmatic event, and whether that event
     * then completes for a host thread: a launch, then cuEventSynchronize on it. */
    long long zero = 0;
    void *probe_params[] = {&zero};
    CUresult probe = launch_with_event(probe_params, launch_events[0]);
    int launch_event_works = probe == CUDA_SUCCESS;
    if (launch_event_works) {
        CHECK_CU(cuEventSynchronize(launch_events[0]));
    } else {
        const char *probe_name = NULL;
        cuGetErrorName(probe, &probe_name);
        printf("launch-event variants skipped: cuLaunchKernelEx with CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_EVENT returned %s (%d)\n",
               probe_name ? probe_name : "?", (int)probe);
    }
    CHECK_CU(cuStreamSynchronize(stream));

    printf("sync point cost: %s (sm_%d%d), nominal clock %d MHz, %d launches per round, %d rounds\n", name, major,
           minor, clock_khz / 1000, launches, rounds);
    long long kernels[] = {0, (long long)clock_khz * 5 / 1000};
    const char *kernel_names[] = {"empty", "about 5 us"};
    for (int kk = 0; kk < 2; kk++) {
        struct variant variants[] = {{.kind = NONE}, {.kind = EVENT, .every = 8}, {.kind = EVENT_WAIT, .every = 8},
                                     {.kind = WRITE, .every = 8}, {.kind = EVENT, .every = 64},
                                     {.kind = EVENT_WAIT, .every = 64}, {.kind = WRITE, .every = 64},
                                     {.kind = LAUNCH_EVENT, .every = 8}, {.kind = LAUNCH_EVENT_WAIT, .every = 8},
                                     {.kind = LAUNCH_EVENT, .every = 64}, {.kind = LAUNCH_EVENT_WAIT, .every = 64}};
        int n = (int)(sizeof variants / sizeof variants[0]);
        if (!launch_event_works) {
            n -= 4; /* the launch-event variants come last */
        }
        for (int v = 0; v < n; v++) {
            run(&variants[v], kernels[kk], launches); /* unmeasured: first calls, the pool's first records */
        }
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int v = r % 2 == 0 ? j : n - 1 - j; /* alternate the order: drift falls on every variant */
                variants[v].seconds[variants[v].samples++] = run(&variants[v], kernels[kk], launches);
            }
        }
        double base = median(&variants[0]);
        printf("%s kernel (%lld cycles):\n", kernel_names[kk], kernels[kk]);
        printf("  %-16s %12s %22s %10s\n", "marker", "us/launch", "range over rounds", "vs none");
        for (int v = 0; v < n; v++) {
            double lo = variants[v].seconds[0], hi = lo;
            for (int s = 1; s < variants[v].samples; s++) {
                if (variants[v].seconds[s] < lo) lo = variants[v].seconds[s];
                if (variants[v].seconds[s] > hi) hi = variants[v].seconds[s];
            }
            char label[32];
            if (variants[v].kind == NONE) snprintf(label, sizeof label, "none");
            else snprintf(label, sizeof label, "%s/%d", KIND_NAMES[variants[v].kind], variants[v].every);
            double m = median(&variants[v]);
            printf("  %-16s %9.3f us   %8.3f .. %8.3f us %9.4fx\n", label, m / launches * 1e6, lo / launches * 1e6,
                   hi / launches * 1e6, m / base);
        }
    }
    return 0;
}
