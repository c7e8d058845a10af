// A CUPTI injection library that writes every kernel's GPU start and end to a file: the timeline
// of the online and the batch model's kernels side by side, which the scenario's own per-request
// breakdown (first and last online kernel only) cannot give. Built and loaded on the GPU host by
// docs/device/round22.sh (the CUDA toolkit's CUPTI; nothing of it is committed):
//
//   gcc -shared -fPIC -O2 -DKERNEL_RECORD=CUpti_ActivityKernel10 -DMEMCPY_RECORD=CUpti_ActivityMemcpy6
//       -I$CUDA/include -I$CUDA/extras/CUPTI/include kernel_timeline.c -L$CUDA/extras/CUPTI/lib64 -lcupti
//       -o libkernel_timeline.so
//   CUDA_INJECTION64_PATH=$PWD/libkernel_timeline.so KERNEL_TIMELINE_OUT=kernels.tsv bin/xsched demo ...
//
// KERNEL_RECORD and MEMCPY_RECORD name the newest kernel and memcpy record types of the
// toolkit's cupti_activity.h (the script finds them); the fields read here are common to all
// versions. Concurrent-kernel records do not serialize kernels, unlike CUPTI_ACTIVITY_KIND_KERNEL.
// Output, timestamps in nanoseconds on CUPTI's clock (the host's and the GPU's placed on one):
//   "start end stream grid_x name"        a kernel;
//   "K correlation start"                 the kernel that started at start, for joins with "A";
//   "M start end stream bytes correlation" a memory copy (the stop flag's writes are 4 bytes);
//   "A start end thread cbid correlation"  a driver API call on the host (with KERNEL_TIMELINE_API=1;
//                                          polls of events and streams left out).
#include <cupti.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#if !defined(KERNEL_RECORD) || !defined(MEMCPY_RECORD)
#error "define KERNEL_RECORD and MEMCPY_RECORD as the toolkit's newest CUpti_ActivityKernelN and CUpti_ActivityMemcpyN"
#endif

#define BUFFER_BYTES (8u << 20)

static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long dropped;

/* Logs a failed CUPTI call with its code and message; returns whether it succeeded. */
static int check(CUptiResult result, const char *call) {
    if (result != CUPTI_SUCCESS) {
        const char *message = "?";
        cuptiGetResultString(result, &message);
        fprintf(stderr, "kernel_timeline: %s failed: %d %s\n", call, (int) result, message);
        return 0;
    }
    return 1;
}

static void CUPTIAPI buffer_requested(uint8_t **buffer, size_t *size, size_t *max_records) {
    *buffer = aligned_alloc(8, BUFFER_BYTES);
    *size = *buffer ? BUFFER_BYTES : 0;
    *max_records = 0;
}

static void CUPTIAPI buffer_completed(CUcontext context, uint32_t stream, uint8_t *buffer, size_t size,
                                      size_t valid) {
    (void) context; (void) stream; (void) size;
    CUpti_Activity *record = NULL;
    pthread_mutex_lock(&out_lock);
    while (cuptiActivityGetNextRecord(buffer, valid, &record) == CUPTI_SUCCESS) {
        if (!out) {
            break;
        }
        if (record->kind == CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL) {
            const KERNEL_RECORD *k = (const KERNEL_RECORD *) record;
            fprintf(out, "%llu %llu %u %d %s\nK %u %llu\n", (unsigned long long) k->start, (unsigned long long) k->end,
                    (unsigned) k->streamId, (int) k->gridX, k->name ? k->name : "?", (unsigned) k->correlationId,
                    (unsigned long long) k->start);
        } else if (record->kind == CUPTI_ACTIVITY_KIND_MEMCPY) {
            const MEMCPY_RECORD *m = (const MEMCPY_RECORD *) record;
            fprintf(out, "M %llu %llu %u %llu %u\n", (unsigned long long) m->start, (unsigned long long) m->end,
                    (unsigned) m->streamId, (unsigned long long) m->bytes, (unsigned) m->correlationId);
        } else if (record->kind == CUPTI_ACTIVITY_KIND_DRIVER) {
            const CUpti_ActivityAPI *a = (const CUpti_ActivityAPI *) record;
            if (a->cbid != CUPTI_DRIVER_TRACE_CBID_cuEventQuery && a->cbid != CUPTI_DRIVER_TRACE_CBID_cuStreamQuery) {
                fprintf(out, "A %llu %llu %u %u %u\n", (unsigned long long) a->start, (unsigned long long) a->end,
                        (unsigned) a->threadId, (unsigned) a->cbid, (unsigned) a->correlationId);
            }
        }
    }
    size_t lost = 0;
    if (check(cuptiActivityGetNumDroppedRecords(context, stream, &lost), "cuptiActivityGetNumDroppedRecords")) {
        dropped += lost;
    }
    pthread_mutex_unlock(&out_lock);
    free(buffer);
}

// Runs at the process's exit (the JVM's System.exit ends in libc's exit): the last partly filled
// buffers are handed over, then the file is closed.
static void flush_at_exit(void) {
    check(cuptiActivityFlushAll(1), "cuptiActivityFlushAll");
    pthread_mutex_lock(&out_lock);
    if (out) {
        int failed = ferror(out);
        if (fclose(out) != 0 || failed) {
            perror("kernel_timeline: writing the timeline failed");
        }
        fprintf(stderr, "kernel_timeline: done, %llu records dropped\n", dropped);
        out = NULL;
    }
    pthread_mutex_unlock(&out_lock);
}

// Called by the CUDA driver at its initialization when CUDA_INJECTION64_PATH names this library.
int InitializeInjection(void) {
    const char *path = getenv("KERNEL_TIMELINE_OUT");
    out = fopen(path ? path : "kernels.tsv", "w");
    if (!out) {
        perror("kernel_timeline: fopen");
        return 0;
    }
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    const char *api = getenv("KERNEL_TIMELINE_API");
    int ok = check(cuptiActivityRegisterCallbacks(buffer_requested, buffer_completed), "cuptiActivityRegisterCallbacks")
            && check(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL), "cuptiActivityEnable(kernel)")
            && check(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_MEMCPY), "cuptiActivityEnable(memcpy)")
            && (!api || api[0] != '1' || check(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_DRIVER), "cuptiActivityEnable(driver)"));
    if (!ok) {
        // No trace rather than an empty one that looks like a run without kernels.
        fclose(out);
        out = NULL;
        return 0;
    }
    check(cuptiActivityFlushPeriod(1000), "cuptiActivityFlushPeriod"); /* optional: buffers also flush when full and at exit */
    atexit(flush_at_exit);
    return 1;
}
