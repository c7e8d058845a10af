/*
 * A fake CUDA driver (libcuda.so.1) and NVRTC for the NVIDIA platform's Java code on machines
 * without an NVIDIA GPU: hip-ffm's pom builds it with gcc and points the NVIDIA platform at it. Not
 * a simulator: one "device" whose memory is host memory, every command runs at once on the calling
 * thread, and the kernels are host functions picked by name (those of the GPU tests). Only the spin
 * kernel takes time: it marks its stream busy until its cycles would have elapsed at the reported
 * clock, and queries, events and synchronization honour that. What it checks is the Java side: every call's
 * arguments, the current context on every thread (calls that need one fail with
 * CUDA_ERROR_INVALID_CONTEXT without it, as the real driver does), error names and sticky faults.
 *
 * Built as one file twice: -DFAKE_CUDA gives libcuda, -DFAKE_NVRTC gives libnvrtc. Plain C types
 * only (the NVIDIA headers are not committed); enum values as in cuda.h 13.0.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef FAKE_CUDA
enum {
    SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NO_DEVICE = 100, INVALID_CONTEXT = 201,
    INVALID_HANDLE = 400, NOT_FOUND = 500, NOT_READY = 600, ILLEGAL_ADDRESS = 700,
    HOST_MEMORY_ALREADY_REGISTERED = 712, HOST_MEMORY_NOT_REGISTERED = 713
};

static void *const PRIMARY_CONTEXT = (void *)0x5eed;
static __thread void *current_context;
static long set_current_calls;
static int sticky_error;

static double device_busy_until;

static double now_millis(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void wait_until(double millis) {
    double left = millis - now_millis();
    if (left > 0) {
        struct timespec ts = {(time_t)(left / 1e3), (long)((left - (time_t)(left / 1e3) * 1e3) * 1e6)};
        nanosleep(&ts, NULL);
    }
}

/* Test hooks, found by the Java test through the library's symbols. */
long fake_cuda_set_current_calls(void) { return set_current_calls; }

/*
 * Test hook: the next call of the driver function named returns error, changing nothing (once;
 * error 0 cancels). For failures the fake would otherwise never give, such as a device pointer
 * refused after a registration succeeded. Only the functions that check INJECTED_FAILURE honour it.
 */
static char fail_next_function[64];
static int fail_next_error;
void fake_cuda_fail_next(const char *function, int error) {
    snprintf(fail_next_function, sizeof fail_next_function, "%s", function);
    fail_next_error = error;
}
#define INJECTED_FAILURE()                                                        \
    do {                                                                          \
        if (fail_next_error && strcmp(fail_next_function, __func__) == 0) {        \
            int injected = fail_next_error;                                       \
            fail_next_error = 0;                                                  \
            return injected;                                                      \
        }                                                                         \
    } while (0)

int cuGetErrorName(int error, const char **name) {
    switch (error) {
        case SUCCESS: *name = "CUDA_SUCCESS"; return SUCCESS;
        case INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; return SUCCESS;
        case OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return SUCCESS;
        case NO_DEVICE: *name = "CUDA_ERROR_NO_DEVICE"; return SUCCESS;
        case INVALID_CONTEXT: *name = "CUDA_ERROR_INVALID_CONTEXT"; return SUCCESS;
        case INVALID_HANDLE: *name = "CUDA_ERROR_INVALID_HANDLE"; return SUCCESS;
        case NOT_FOUND: *name = "CUDA_ERROR_NOT_FOUND"; return SUCCESS;
        case NOT_READY: *name = "CUDA_ERROR_NOT_READY"; return SUCCESS;
        case ILLEGAL_ADDRESS: *name = "CUDA_ERROR_ILLEGAL_ADDRESS"; return SUCCESS;
        case HOST_MEMORY_ALREADY_REGISTERED: *name = "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED"; return SUCCESS;
        case HOST_MEMORY_NOT_REGISTERED: *name = "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED"; return SUCCESS;
        default: *name = NULL; return INVALID_VALUE;
    }
}

int cuGetErrorString(int error, const char **text) {
    switch (error) {
        case INVALID_CONTEXT: *text = "invalid device context"; return SUCCESS;
        case NOT_FOUND: *text = "named symbol not found"; return SUCCESS;
        case ILLEGAL_ADDRESS: *text = "an illegal memory access was encountered"; return SUCCESS;
        case OUT_OF_MEMORY: *text = "out of memory"; return SUCCESS;
        case HOST_MEMORY_ALREADY_REGISTERED: *text = "part or all of the requested memory range is already mapped"; return SUCCESS;
        case HOST_MEMORY_NOT_REGISTERED: *text = "pointer does not correspond to a registered memory region"; return SUCCESS;
        default: *text = NULL; return INVALID_VALUE;
    }
}

/* Calls that act on "the current context" fail without one, and after a fault with the fault. */
#define NEEDS_CONTEXT()                                   \
    do {                                                  \
        if (current_context != PRIMARY_CONTEXT) return INVALID_CONTEXT; \
        if (sticky_error) return sticky_error;            \
    } while (0)

int cuInit(unsigned flags) { return flags == 0 ? (getenv("FAKE_CUDA_NO_DEVICE") ? NO_DEVICE : SUCCESS) : INVALID_VALUE; }
int cuDriverGetVersion(int *version) { *version = 13000; return SUCCESS; }
int cuDeviceGetCount(int *count) { *count = 1; return SUCCESS; }
int cuDeviceGet(int *device, int ordinal) { if (ordinal != 0) return 101; *device = 0; return SUCCESS; }
int cuDeviceGetName(char *name, int length, int device) {
    if (device != 0 || length < 1) return INVALID_VALUE;
    snprintf(name, (size_t)length, "Fake CUDA Device");
    return SUCCESS;
}
int cuDeviceGetAttribute(int *value, int attribute, int device) {
    if (device != 0) return 101;
    switch (attribute) {
        case 1: *value = 1024; return SUCCESS;     /* MAX_THREADS_PER_BLOCK */
        case 2: *value = 1024; return SUCCESS;     /* MAX_BLOCK_DIM_X */
        case 5: *value = 2147483647; return SUCCESS; /* MAX_GRID_DIM_X */
        case 8: *value = 49152; return SUCCESS;    /* MAX_SHARED_MEMORY_PER_BLOCK */
        case 10: *value = 32; return SUCCESS;      /* WARP_SIZE */
        case 13: *value = 1980000; return SUCCESS; /* CLOCK_RATE (kHz) */
        case 16: *value = 132; return SUCCESS;     /* MULTIPROCESSOR_COUNT */
        case 31: *value = 1; return SUCCESS;       /* CONCURRENT_KERNELS */
        case 33: *value = 0x19; return SUCCESS;    /* PCI_BUS_ID */
        case 36: *value = 3201000; return SUCCESS; /* MEMORY_CLOCK_RATE */
        case 37: *value = 6144; return SUCCESS;    /* GLOBAL_MEMORY_BUS_WIDTH */
        case 38: *value = 52428800; return SUCCESS; /* L2_CACHE_SIZE */
        case 75: *value = 9; return SUCCESS;       /* COMPUTE_CAPABILITY_MAJOR */
        case 76: *value = 0; return SUCCESS;       /* COMPUTE_CAPABILITY_MINOR */
        default: return INVALID_VALUE;
    }
}
int cuDeviceGetUuid_v2(unsigned char *uuid, int device) {
    if (device != 0) return 101;
    for (int i = 0; i < 16; i++) uuid[i] = (unsigned char)(0xf0 + i);
    return SUCCESS;
}
int cuDeviceTotalMem_v2(size_t *bytes, int device) { if (device != 0) return 101; *bytes = (size_t)150 << 30; return SUCCESS; }
int cuDevicePrimaryCtxRetain(void **context, int device) { if (device != 0) return 101; *context = PRIMARY_CONTEXT; return SUCCESS; }
/* Not used by hip-ffm (it keeps primary contexts for the life of the process); launch_bench.c calls it. */
int cuDevicePrimaryCtxRelease_v2(int device) { return device == 0 ? SUCCESS : 101; }
int cuCtxSetCurrent(void *context) { set_current_calls++; current_context = context; return SUCCESS; }
int cuCtxGetStreamPriorityRange(int *least, int *greatest) { NEEDS_CONTEXT(); *least = 0; *greatest = -5; return SUCCESS; }
int cuCtxSynchronize(void) { NEEDS_CONTEXT(); wait_until(device_busy_until); return SUCCESS; }

/* busy_until: when the stream's last spin kernel "ends" (CLOCK_MONOTONIC milliseconds). */
typedef struct { int priority; double busy_until; void *context; } stream_t;
static long live_streams;

/* Test hooks: streams not yet destroyed, and a stream of a context other than the primary one. */
long fake_cuda_live_streams(void) { return live_streams; }
void *fake_cuda_other_context_stream(void) {
    static stream_t other = {0, 0.0, (void *)0xc0ffee};
    return &other;
}
typedef struct { unsigned flags; int recorded; double millis; } event_t;

int cuStreamCreateWithPriority(void **stream, unsigned flags, int priority) {
    NEEDS_CONTEXT();
    if (flags != 1 /* CU_STREAM_NON_BLOCKING */ || priority < -5 || priority > 0) return INVALID_VALUE;
    stream_t *s = calloc(1, sizeof *s);
    s->priority = priority;
    s->context = current_context;
    *stream = s;
    live_streams++;
    return SUCCESS;
}
int cuStreamDestroy_v2(void *stream) {
    NEEDS_CONTEXT();
    if (!stream) return INVALID_HANDLE;
    free(stream);
    live_streams--;
    return SUCCESS;
}
/* The null stream and the legacy/per-thread pseudo-handles are the current context's; hip-ffm never asks for them. */
int cuStreamGetCtx(void *stream, void **context) {
    if (sticky_error) return sticky_error;
    if ((uintptr_t)stream <= 2) return INVALID_HANDLE;
    *context = ((stream_t *)stream)->context;
    return SUCCESS;
}
int cuStreamGetPriority(void *stream, int *priority) {
    NEEDS_CONTEXT();
    if ((uintptr_t)stream <= 2) return INVALID_HANDLE;
    *priority = ((stream_t *)stream)->priority;
    return SUCCESS;
}
int cuStreamSynchronize(void *stream) {
    NEEDS_CONTEXT();
    if (!stream) return INVALID_HANDLE;
    wait_until(((stream_t *)stream)->busy_until);
    return SUCCESS;
}
int cuStreamQuery(void *stream) {
    NEEDS_CONTEXT();
    if (!stream) return INVALID_HANDLE;
    return now_millis() < ((stream_t *)stream)->busy_until ? NOT_READY : SUCCESS;
}
int cuStreamWaitEvent(void *stream, void *event, unsigned flags) {
    NEEDS_CONTEXT();
    if (!stream || !event || flags != 0) return INVALID_VALUE;
    stream_t *s = stream;
    event_t *e = event;
    if (e->millis > s->busy_until) s->busy_until = e->millis;
    return SUCCESS;
}

/*
 * cuStreamWaitValue32 (the _v2 symbol), GEQ and EQ. Commands here run at once on the calling
 * thread, so a stream cannot be held: every wait passes, as if the word took the value at once,
 * and the ones whose word did not hold it are counted for the tests (an XQueue's device gate meets
 * one when a suspend raises the flag between picking a command and issuing it). GEQ compares as the
 * driver does, in wrap-around order: (int32_t)(word - value) >= 0.
 */
static long unsatisfied_waits;
long fake_cuda_unsatisfied_waits(void) { return unsatisfied_waits; }
int cuStreamWaitValue32_v2(void *stream, uint64_t address, uint32_t value, unsigned flags) {
    NEEDS_CONTEXT();
    INJECTED_FAILURE();
    if (!stream) return INVALID_HANDLE;
    if (flags > 1 /* CU_STREAM_WAIT_VALUE_GEQ = 0, CU_STREAM_WAIT_VALUE_EQ = 1 */ || address == 0 || address % 4 != 0) {
        return INVALID_VALUE;
    }
    uint32_t word = *(volatile uint32_t *)(uintptr_t)address;
    int holds = flags == 1 ? word == value : (int32_t)(word - value) >= 0;
    if (!holds) unsatisfied_waits++;
    return SUCCESS;
}

int cuEventCreate(void **event, unsigned flags) {
    NEEDS_CONTEXT();
    if (flags & ~3u) return INVALID_VALUE; /* BLOCKING_SYNC = 1, DISABLE_TIMING = 2 */
    event_t *e = calloc(1, sizeof *e);
    e->flags = flags;
    *event = e;
    return SUCCESS;
}
int cuEventRecord(void *event, void *stream) {
    NEEDS_CONTEXT();
    if (!event || !stream) return INVALID_HANDLE;
    /* The event completes when the work before it on the stream does. */
    double now = now_millis(), busy = ((stream_t *)stream)->busy_until;
    ((event_t *)event)->recorded = 1;
    ((event_t *)event)->millis = busy > now ? busy : now;
    return SUCCESS;
}
int cuEventQuery(void *event) {
    NEEDS_CONTEXT();
    if (!event) return INVALID_HANDLE;
    return now_millis() < ((event_t *)event)->millis ? NOT_READY : SUCCESS;
}
int cuEventSynchronize(void *event) {
    NEEDS_CONTEXT();
    if (!event) return INVALID_HANDLE;
    wait_until(((event_t *)event)->millis);
    return SUCCESS;
}
int cuEventElapsedTime_v2(float *millis, void *start, void *end) {
    NEEDS_CONTEXT();
    event_t *s = start, *e = end;
    if ((s->flags & 2) || (e->flags & 2) || !s->recorded || !e->recorded) return INVALID_HANDLE;
    *millis = (float)(e->millis - s->millis);
    return SUCCESS;
}
int cuEventDestroy_v2(void *event) { NEEDS_CONTEXT(); free(event); return SUCCESS; }

int cuMemAlloc_v2(uint64_t *pointer, size_t bytes) {
    NEEDS_CONTEXT();
    if (bytes == 0) return INVALID_VALUE;
    if (bytes > ((size_t)1 << 40)) return OUT_OF_MEMORY;
    void *p = malloc(bytes);
    if (!p) return OUT_OF_MEMORY;
    *pointer = (uint64_t)(uintptr_t)p;
    return SUCCESS;
}
int cuMemFree_v2(uint64_t pointer) { NEEDS_CONTEXT(); free((void *)(uintptr_t)pointer); return SUCCESS; }
int cuMemHostAlloc(void **pointer, size_t bytes, unsigned flags) {
    NEEDS_CONTEXT();
    if (flags != 3 /* CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP */) return INVALID_VALUE;
    *pointer = malloc(bytes);
    return *pointer ? SUCCESS : OUT_OF_MEMORY;
}
/* Unified addressing, as on every 64-bit CUDA system: the mapped device address is the host address. */
int cuMemHostGetDevicePointer_v2(uint64_t *device, void *host, unsigned flags) {
    NEEDS_CONTEXT();
    INJECTED_FAILURE();
    if (flags != 0 || !host) return INVALID_VALUE;
    *device = (uint64_t)(uintptr_t)host;
    return SUCCESS;
}

/*
 * Registered host memory: a table of the ranges, so that an overlapping registration is refused as
 * the driver refuses it, an unregistration must name a registration's start, and the tests can read
 * what was registered with which flags.
 */
typedef struct { char *start; size_t bytes; unsigned flags; } registration_t;
static registration_t registrations[64];
static long live_registrations;

static registration_t *registration_at(const void *start) {
    for (int i = 0; i < 64; i++) {
        if (registrations[i].start && registrations[i].start == start) return &registrations[i];
    }
    return NULL;
}

/* Test hooks: live registrations, and the flags of the one starting at start (-1 if none). */
long fake_cuda_live_registrations(void) { return live_registrations; }
int fake_cuda_registration_flags(const void *start) {
    registration_t *r = registration_at(start);
    return r ? (int)r->flags : -1;
}
long fake_cuda_registration_bytes(const void *start) {
    registration_t *r = registration_at(start);
    return r ? (long)r->bytes : -1;
}

int cuMemHostRegister_v2(void *pointer, size_t bytes, unsigned flags) {
    NEEDS_CONTEXT();
    INJECTED_FAILURE();
    /* PORTABLE = 1, DEVICEMAP = 2, IOMEMORY = 4, READ_ONLY = 8 */
    if (!pointer || bytes == 0 || (flags & ~15u)) return INVALID_VALUE;
    char *start = pointer;
    registration_t *free_slot = NULL;
    for (int i = 0; i < 64; i++) {
        registration_t *r = &registrations[i];
        if (!r->start) {
            if (!free_slot) free_slot = r;
        } else if (start < r->start + r->bytes && r->start < start + bytes) {
            return HOST_MEMORY_ALREADY_REGISTERED;
        }
    }
    if (!free_slot) return OUT_OF_MEMORY;
    free_slot->start = start;
    free_slot->bytes = bytes;
    free_slot->flags = flags;
    live_registrations++;
    return SUCCESS;
}
int cuMemHostUnregister(void *pointer) {
    NEEDS_CONTEXT();
    INJECTED_FAILURE();
    registration_t *r = registration_at(pointer);
    if (!r) return HOST_MEMORY_NOT_REGISTERED;
    r->start = NULL;
    live_registrations--;
    return SUCCESS;
}
int cuMemFreeHost(void *pointer) { NEEDS_CONTEXT(); free(pointer); return SUCCESS; }
int cuMemcpyHtoDAsync_v2(uint64_t dst, const void *src, size_t bytes, void *stream) {
    NEEDS_CONTEXT(); if (!stream) return INVALID_HANDLE; memcpy((void *)(uintptr_t)dst, src, bytes); return SUCCESS;
}
int cuMemcpyDtoHAsync_v2(void *dst, uint64_t src, size_t bytes, void *stream) {
    NEEDS_CONTEXT(); if (!stream) return INVALID_HANDLE; memcpy(dst, (void *)(uintptr_t)src, bytes); return SUCCESS;
}
int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t bytes, void *stream) {
    NEEDS_CONTEXT(); if (!stream) return INVALID_HANDLE; memmove((void *)(uintptr_t)dst, (void *)(uintptr_t)src, bytes); return SUCCESS;
}
int cuMemsetD8Async(uint64_t dst, unsigned char value, size_t bytes, void *stream) {
    NEEDS_CONTEXT(); if (!stream) return INVALID_HANDLE; memset((void *)(uintptr_t)dst, value, bytes); return SUCCESS;
}

/*
 * A module is the image's text; a function is the name of one of the host "kernels" below, with the
 * sizes of its parameters as a compiler lays them out, read from its declaration in that text.
 */
typedef struct { char *image; } module_t;
enum { MAX_PARAMS = 64 };
typedef struct { const char *name; int params; size_t sizes[MAX_PARAMS]; } function_t;
static const char *KERNELS[] = {"vector_add", "block_sum", "matmul_tiled", "spin", "write_at", "empty_kernel"};

/* One parameter's size from its declaration text [start, end): 8 for a pointer or a 64-bit type, 2 for a
   short, 1 for a char or bool, else 4. */
static size_t param_size(const char *start, const char *end) {
    char text[256];
    size_t length = (size_t)(end - start) < sizeof text - 1 ? (size_t)(end - start) : sizeof text - 1;
    memcpy(text, start, length);
    text[length] = '\0';
    if (strchr(text, '*') || strstr(text, "long") || strstr(text, "size_t") || strstr(text, "double")
        || strstr(text, "int64_t")) {
        return 8;
    }
    if (strstr(text, "short")) return 2;
    if (strstr(text, "char") || strstr(text, "bool")) return 1;
    return 4;
}

/* Reads the parameter list after "void name(" (at list) into f; -1 if it has no closing parenthesis or too many. */
static int read_params(function_t *f, const char *list) {
    const char *close = strchr(list, ')');
    if (!close) return -1;
    f->params = 0;
    const char *p = list;
    while (isspace((unsigned char)*p)) p++;
    if (p == close) return 0;
    if (strncmp(p, "void", 4) == 0) { /* f(void): no parameters */
        const char *q = p + 4;
        while (isspace((unsigned char)*q)) q++;
        if (q == close) return 0;
    }
    for (const char *start = list; start < close;) {
        const char *comma = memchr(start, ',', (size_t)(close - start));
        const char *end = comma ? comma : close;
        /* YieldableKernels' macro for its three control pointers, which the preprocessor would expand */
        const char *yield = strstr(start, "XSCHED_YIELD_PARAMS");
        int pointers = yield && yield < end ? 3 : 0;
        if (f->params + (pointers ? pointers : 1) > MAX_PARAMS) return -1;
        for (int i = 0; i < pointers; i++) f->sizes[f->params++] = 8;
        if (!pointers) f->sizes[f->params++] = param_size(start, end);
        start = end + 1;
    }
    return 0;
}

int cuModuleLoadData(void **module, const void *image) {
    NEEDS_CONTEXT();
    if (strncmp(image, "FAKE ", 5) != 0) return 200; /* CUDA_ERROR_INVALID_IMAGE */
    module_t *m = malloc(sizeof *m);
    m->image = strdup(image);
    *module = m;
    return SUCCESS;
}
int cuModuleUnload(void *module) { NEEDS_CONTEXT(); free(((module_t *)module)->image); free(module); return SUCCESS; }
int cuModuleGetFunction(void **function, void *module, const char *name) {
    NEEDS_CONTEXT();
    char declaration[256];
    snprintf(declaration, sizeof declaration, "void %s(", name);
    const char *found = strstr(((module_t *)module)->image, declaration);
    if (!found) return NOT_FOUND;
    for (size_t i = 0; i < sizeof KERNELS / sizeof *KERNELS; i++) {
        if (strcmp(KERNELS[i], name) == 0) {
            function_t *f = malloc(sizeof *f);
            f->name = KERNELS[i];
            if (read_params(f, found + strlen(declaration)) != 0) {
                free(f);
                return 218; /* CUDA_ERROR_INVALID_PTX: a declaration no compiler would take */
            }
            *function = f;
            return SUCCESS;
        }
    }
    return NOT_FOUND;
}

/* As the driver: CUDA_ERROR_INVALID_VALUE for an index at or past the function's parameter count. */
int cuFuncGetParamInfo(void *function, size_t index, size_t *offset, size_t *size) {
    INJECTED_FAILURE();
    if (!function || !offset) return INVALID_VALUE;
    function_t *f = function;
    if (index >= (size_t)f->params) return INVALID_VALUE;
    size_t at = 0;
    for (size_t i = 0; i <= index; i++) {
        at = (at + f->sizes[i] - 1) / f->sizes[i] * f->sizes[i]; /* each aligned to its size */
        if (i < index) at += f->sizes[i];
    }
    *offset = at;
    if (size) *size = f->sizes[index];
    return SUCCESS;
}

int cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void *stream, void **params, void **extra) {
    NEEDS_CONTEXT();
    if (!function || !stream || extra || gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || shared > 49152) {
        return INVALID_VALUE;
    }
    const char *name = ((function_t *)function)->name;
    if (strcmp(name, "vector_add") == 0) {
        const float *a = *(float **)params[0], *b = *(float **)params[1];
        float *out = *(float **)params[2];
        int n = *(int *)params[3];
        long threads = (long)gx * bx;
        for (long i = 0; i < threads && i < n; i++) out[i] = a[i] + b[i];
    } else if (strcmp(name, "block_sum") == 0) {
        /* Block b sums in[i] for i = b * blockDim + t, stepping blockDim * gridDim, over its threads t. */
        const float *in = *(float **)params[0];
        float *partial = *(float **)params[1];
        int n = *(int *)params[2];
        for (unsigned b = 0; b < gx; b++) {
            float sum = 0.0f;
            for (unsigned t = 0; t < bx; t++) {
                for (long i = (long)b * bx + t; i < n; i += (long)bx * gx) sum += in[i];
            }
            partial[b] = sum;
        }
    } else if (strcmp(name, "matmul_tiled") == 0) {
        const float *a = *(float **)params[0], *b = *(float **)params[1];
        float *c = *(float **)params[2];
        int m = *(int *)params[3], n = *(int *)params[4], k = *(int *)params[5];
        if ((long)gx * bx < n || (long)gy * by < m) return SUCCESS; /* too small a grid leaves c as it was */
        for (int row = 0; row < m; row++) {
            for (int col = 0; col < n; col++) {
                float acc = 0.0f;
                for (int i = 0; i < k; i++) acc += a[row * k + i] * b[i * n + col];
                c[row * n + col] = acc;
            }
        }
    } else if (strcmp(name, "spin") == 0) {
        long long cycles = *(long long *)params[0];
        int *done = *(int **)params[1];
        stream_t *s = stream;
        double start = now_millis() > s->busy_until ? now_millis() : s->busy_until;
        s->busy_until = start + cycles / 1980000.0; /* the reported clock: 1,980,000 kHz */
        if (s->busy_until > device_busy_until) device_busy_until = s->busy_until;
        *done = 1;
    } else if (strcmp(name, "write_at") == 0) {
        long long offset = *(long long *)params[1];
        if (offset != 0) sticky_error = ILLEGAL_ADDRESS; /* surfaces at the next call, like a real fault */
    } else if (params != NULL) {
        return INVALID_VALUE; /* empty_kernel takes no arguments: hip-ffm passes NULL */
    }
    return SUCCESS;
}
#endif

#ifdef FAKE_NVRTC
/* Compiling gives "FAKE <architecture>\n<source>"; a source using undeclared_variable fails. */
typedef struct { char *source; char *name; char *output; char *log; int ptx; } program_t;
static const int ARCHS[] = {75, 80, 86, 87, 89, 90, 100, 120};

int nvrtcVersion(int *major, int *minor) { *major = 13; *minor = 0; return 0; }
const char *nvrtcGetErrorString(int result) {
    switch (result) {
        case 0: return "NVRTC_SUCCESS";
        case 5: return "NVRTC_ERROR_INVALID_OPTION";
        case 6: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR_INVALID_PROGRAM";
    }
}
int nvrtcGetNumSupportedArchs(int *count) { *count = (int)(sizeof ARCHS / sizeof *ARCHS); return 0; }
int nvrtcGetSupportedArchs(int *archs) { memcpy(archs, ARCHS, sizeof ARCHS); return 0; }
int nvrtcCreateProgram(void **program, const char *source, const char *name, int headers, const char *const *h,
                       const char *const *include_names) {
    if (!source || headers != 0 || h || include_names) return 3; /* INVALID_INPUT */
    program_t *p = calloc(1, sizeof *p);
    p->source = strdup(source);
    p->name = strdup(name ? name : "default_program");
    p->log = strdup("");
    *program = p;
    return 0;
}
int nvrtcDestroyProgram(void **program) {
    program_t *p = *program;
    free(p->source); free(p->name); free(p->output); free(p->log); free(p);
    *program = NULL;
    return 0;
}
int nvrtcCompileProgram(void *program, int count, const char *const *options) {
    program_t *p = program;
    const char *arch = NULL;
    for (int i = 0; i < count; i++) {
        if (strncmp(options[i], "--gpu-architecture=", 19) == 0) arch = options[i] + 19;
        else if (strcmp(options[i], "-lineinfo") != 0) {
            free(p->log);
            p->log = malloc(strlen(options[i]) + 64);
            sprintf(p->log, "nvrtc: error: unrecognized option %s", options[i]);
            return 5;
        }
    }
    if (!arch) arch = "compute_75";
    if (strstr(p->source, "undeclared_variable")) {
        free(p->log);
        p->log = malloc(strlen(p->name) + 128);
        sprintf(p->log, "%s(2): error: identifier \"undeclared_variable\" is undefined\n\n1 error detected in the compilation of \"%s\".", p->name, p->name);
        return 6;
    }
    p->ptx = strncmp(arch, "compute_", 8) == 0;
    p->output = malloc(strlen(arch) + strlen(p->source) + 8);
    sprintf(p->output, "FAKE %s\n%s", arch, p->source);
    return 0;
}
int nvrtcGetProgramLogSize(void *program, size_t *size) { *size = strlen(((program_t *)program)->log) + 1; return 0; }
int nvrtcGetProgramLog(void *program, char *log) { strcpy(log, ((program_t *)program)->log); return 0; }
int nvrtcGetCUBINSize(void *program, size_t *size) {
    program_t *p = program;
    if (!p->output || p->ptx) return 4;
    *size = strlen(p->output); /* binary: no terminating NUL */
    return 0;
}
int nvrtcGetCUBIN(void *program, char *cubin) { program_t *p = program; memcpy(cubin, p->output, strlen(p->output)); return 0; }
int nvrtcGetPTXSize(void *program, size_t *size) {
    program_t *p = program;
    if (!p->output || !p->ptx) return 4;
    *size = strlen(p->output) + 1; /* text: with its NUL, as NVRTC counts it */
    return 0;
}
int nvrtcGetPTX(void *program, char *ptx) { strcpy(ptx, ((program_t *)program)->output); return 0; }
#endif
