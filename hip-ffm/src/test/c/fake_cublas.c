/*
 * A fake cuBLAS (libcublas.so.13) for dev.xsched.hip.blas on machines without an NVIDIA GPU, beside
 * the fake CUDA driver (fake_cuda.c, whose "device memory" is host memory). hip-ffm's pom builds it
 * with gcc, linked against the fake libcuda.so.1, and points xsched.cublas.library at it.
 *
 * The GEMMs are real: computed on the host, column-major, honouring transposes, alpha and beta
 * (beta == 0 ignores C, NaN included, as BLAS specifies), leading dimensions, strided batches, FP32,
 * FP16 and BF16 matrices, and TF32 / BF16 rounding of the inputs for the "fast" compute types.
 * (FP16 compute accumulates in FP32 and rounds C once; a GPU may round more often.) Like every
 * command of the fake driver, a routine runs to its end inside the call, on the stream the handle
 * was bound to with cublasSetStream, in that stream's order.
 *
 * It rejects what hip-ffm must never do and what cuBLAS itself rejects: a call without the device's
 * context current on the thread (the fake driver's cuStreamQuery answers CUDA_ERROR_INVALID_CONTEXT),
 * the legacy default stream (a NULL stream: hip-ffm binds every handle to an explicit stream), a bad
 * handle, leading dimensions below the rows, a compute type that does not accept the matrix types.
 * Plain C types only (the NVIDIA headers are not committed); enum values as in cublas_api.h and
 * library_types.h of CUDA 13.0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SUCCESS = 0, NOT_INITIALIZED = 1, ALLOC_FAILED = 3, INVALID_VALUE = 7, EXECUTION_FAILED = 13, NOT_SUPPORTED = 15 };
enum { OP_N = 0, OP_T = 1 };
enum { R_32F = 0, R_16F = 2, R_16BF = 14 };
enum { COMPUTE_16F = 64, COMPUTE_32F = 68, COMPUTE_32F_FAST_16BF = 75, COMPUTE_32F_FAST_TF32 = 77 };
enum { CUDA_SUCCESS = 0, CUDA_NOT_READY = 600 };
#define GEMM_DEFAULT (-1)
#define HANDLE_MAGIC 0xb1a5b1a5u

/* From the fake CUDA driver: validates the stream and the calling thread's current context. */
extern int cuStreamQuery(void *stream);

typedef struct { unsigned magic; void *stream; } handle_t;

static long gemm_calls;
static long live_handles;
static void *last_stream;
static int fail_next;

/* Test hooks, found by the Java tests through the library's symbols. */
long fake_cublas_gemm_calls(void) { return gemm_calls; }
long fake_cublas_live_handles(void) { return live_handles; }
void *fake_cublas_last_stream(void) { return last_stream; }
void fake_cublas_fail_next(int status) { fail_next = status; }

int cublasGetProperty(int type, int *value) {
    if (!value) return INVALID_VALUE;
    switch (type) {
        case 0: *value = 13; return SUCCESS; /* MAJOR_VERSION */
        case 1: *value = 0; return SUCCESS;  /* MINOR_VERSION */
        case 2: *value = 2; return SUCCESS;  /* PATCH_LEVEL */
        default: return INVALID_VALUE;
    }
}

const char *cublasGetStatusName(int status) {
    switch (status) {
        case SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
        case INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        case EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
        case NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
        default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

const char *cublasGetStatusString(int status) {
    switch (status) {
        case SUCCESS: return "success";
        case NOT_INITIALIZED: return "the library was not initialized";
        case ALLOC_FAILED: return "the resource allocation failed";
        case INVALID_VALUE: return "an invalid numeric value was used as an argument";
        case EXECUTION_FAILED: return "the GPU program failed to execute";
        case NOT_SUPPORTED: return "the functionality requested is not supported";
        default: return "unknown error";
    }
}

static handle_t *valid(void *handle) {
    handle_t *h = handle;
    return h && h->magic == HANDLE_MAGIC ? h : NULL;
}

int cublasCreate_v2(void **handle) {
    if (!handle) return INVALID_VALUE;
    /* cuBLAS initialises in the current context: none is an error. The NULL stream is the query's
       cheapest valid argument here; INVALID_HANDLE (400) means the context was there. */
    int rc = cuStreamQuery((void *)0);
    if (rc != CUDA_SUCCESS && rc != 400) return NOT_INITIALIZED;
    handle_t *h = calloc(1, sizeof *h);
    if (!h) return ALLOC_FAILED;
    h->magic = HANDLE_MAGIC;
    *handle = h;
    live_handles++;
    return SUCCESS;
}

int cublasDestroy_v2(void *handle) {
    handle_t *h = valid(handle);
    if (!h) return NOT_INITIALIZED;
    h->magic = 0;
    free(h);
    live_handles--;
    return SUCCESS;
}

int cublasSetStream_v2(void *handle, void *stream) {
    handle_t *h = valid(handle);
    if (!h) return NOT_INITIALIZED;
    h->stream = stream;
    return SUCCESS;
}

/* Element access by type, as float. */
static float load(const void *base, int type, long index) {
    switch (type) {
        case R_32F: return ((const float *)base)[index];
        case R_16F: return (float)((const _Float16 *)base)[index];
        default: { /* R_16BF: the upper half of a float */
            uint32_t bits = (uint32_t)((const uint16_t *)base)[index] << 16;
            float f;
            memcpy(&f, &bits, sizeof f);
            return f;
        }
    }
}

static uint16_t to_bf16(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40); /* NaN stays NaN */
    bits += 0x7fffu + ((bits >> 16) & 1u); /* round to nearest even */
    return (uint16_t)(bits >> 16);
}

static void store(void *base, int type, long index, float value) {
    switch (type) {
        case R_32F: ((float *)base)[index] = value; break;
        case R_16F: ((_Float16 *)base)[index] = (_Float16)value; break;
        default: ((uint16_t *)base)[index] = to_bf16(value); break;
    }
}

/* Rounds an FP32 input as the tensor cores read it: TF32 keeps 10 mantissa bits, BF16 keeps 7. */
static float round_input(float f, int compute) {
    uint32_t bits, drop;
    if (compute == COMPUTE_32F_FAST_TF32) drop = 13;
    else if (compute == COMPUTE_32F_FAST_16BF) drop = 16;
    else return f;
    memcpy(&bits, &f, sizeof bits);
    if ((bits & 0x7f800000u) == 0x7f800000u) return f; /* Inf, NaN */
    uint32_t half = 1u << (drop - 1);
    bits += (half - 1) + ((bits >> drop) & 1u);
    bits &= ~((1u << drop) - 1);
    memcpy(&f, &bits, sizeof f);
    return f;
}

static int accepts(int compute, int a, int b, int c) {
    switch (compute) {
        case COMPUTE_32F: return a == b && (c == a || c == R_32F) && (a == R_32F || a == R_16F || a == R_16BF);
        case COMPUTE_32F_FAST_TF32:
        case COMPUTE_32F_FAST_16BF: return a == R_32F && b == R_32F && c == R_32F;
        case COMPUTE_16F: return a == R_16F && b == R_16F && c == R_16F;
        default: return 0;
    }
}

/* C = alpha * op(A) * op(B) + beta * C over a strided batch; everything validated as cuBLAS does. */
static int gemm(void *handle, int ta, int tb, int m, int n, int k, const void *alpha, const void *a, int atype, int lda,
                long long stride_a, const void *b, int btype, int ldb, long long stride_b, const void *beta, void *c,
                int ctype, int ldc, long long stride_c, int batch, int compute, int algo) {
    handle_t *h = valid(handle);
    if (!h) return NOT_INITIALIZED;
    if (!h->stream) return INVALID_VALUE; /* the legacy default stream: hip-ffm never uses it */
    int rc = cuStreamQuery(h->stream);
    if (rc != CUDA_SUCCESS && rc != CUDA_NOT_READY) return EXECUTION_FAILED; /* no current context, or a bad stream */
    if ((ta != OP_N && ta != OP_T) || (tb != OP_N && tb != OP_T) || m < 0 || n < 0 || k < 0 || batch < 0) return INVALID_VALUE;
    int a_rows = ta == OP_N ? m : k, b_rows = tb == OP_N ? k : n;
    if (lda < (a_rows > 1 ? a_rows : 1) || ldb < (b_rows > 1 ? b_rows : 1) || ldc < (m > 1 ? m : 1)) return INVALID_VALUE;
    if (!accepts(compute, atype, btype, ctype) || algo != GEMM_DEFAULT) return NOT_SUPPORTED;
    if (!alpha || !beta) return INVALID_VALUE;
    if (fail_next) {
        int status = fail_next;
        fail_next = 0;
        return status;
    }
    float al, be;
    if (compute == COMPUTE_16F) {
        al = (float)*(const _Float16 *)alpha;
        be = (float)*(const _Float16 *)beta;
    } else {
        al = *(const float *)alpha;
        be = *(const float *)beta;
    }
    for (int p = 0; p < batch; p++) {
        long oa = (long)p * stride_a, ob = (long)p * stride_b, oc = (long)p * stride_c;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0.0f;
                for (int l = 0; l < k; l++) {
                    long ia = oa + (ta == OP_N ? i + (long)l * lda : l + (long)i * lda);
                    long ib = ob + (tb == OP_N ? l + (long)j * ldb : j + (long)l * ldb);
                    sum += round_input(load(a, atype, ia), compute) * round_input(load(b, btype, ib), compute);
                }
                long ic = oc + i + (long)j * ldc;
                float result = al * sum;
                if (be != 0.0f) result += be * load(c, ctype, ic);
                store(c, ctype, ic, result);
            }
        }
    }
    gemm_calls++;
    last_stream = h->stream;
    return SUCCESS;
}

int cublasSgemm_v2(void *handle, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda,
                   const float *b, int ldb, const float *beta, float *c, int ldc) {
    return gemm(handle, ta, tb, m, n, k, alpha, a, R_32F, lda, 0, b, R_32F, ldb, 0, beta, c, R_32F, ldc, 0, 1,
                COMPUTE_32F, GEMM_DEFAULT);
}

int cublasSgemmStridedBatched(void *handle, int ta, int tb, int m, int n, int k, const float *alpha, const float *a,
                              int lda, long long stride_a, const float *b, int ldb, long long stride_b,
                              const float *beta, float *c, int ldc, long long stride_c, int batch) {
    return gemm(handle, ta, tb, m, n, k, alpha, a, R_32F, lda, stride_a, b, R_32F, ldb, stride_b, beta, c, R_32F, ldc,
                stride_c, batch, COMPUTE_32F, GEMM_DEFAULT);
}

int cublasGemmEx(void *handle, int ta, int tb, int m, int n, int k, const void *alpha, const void *a, int atype,
                 int lda, const void *b, int btype, int ldb, const void *beta, void *c, int ctype, int ldc, int compute,
                 int algo) {
    return gemm(handle, ta, tb, m, n, k, alpha, a, atype, lda, 0, b, btype, ldb, 0, beta, c, ctype, ldc, 0, 1, compute,
                algo);
}

int cublasGemmStridedBatchedEx(void *handle, int ta, int tb, int m, int n, int k, const void *alpha, const void *a,
                               int atype, int lda, long long stride_a, const void *b, int btype, int ldb,
                               long long stride_b, const void *beta, void *c, int ctype, int ldc, long long stride_c,
                               int batch, int compute, int algo) {
    return gemm(handle, ta, tb, m, n, k, alpha, a, atype, lda, stride_a, b, btype, ldb, stride_b, beta, c, ctype, ldc,
                stride_c, batch, compute, algo);
}
