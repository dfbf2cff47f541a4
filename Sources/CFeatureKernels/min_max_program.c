// The HPSS median filters' inner loop: a branch-free min/max program (a pruned sorting network,
// see MedianNetwork.swift) run lane-wise over rows of floats. Hand-written because no library
// offers a vectorised sliding median (scipy's median_filter is a per-pixel selection), and
// because Swift compiles for baseline x86-64 (SSE2) only: here the same loop also runs 8 lanes
// wide with AVX2, chosen at run time. Only min/max, no arithmetic, so every path selects the
// same values: the output bits do not depend on the CPU.

#include "CFeatureKernels.h"

static int forced_baseline = 0;

void fk_force_baseline(int on) { forced_baseline = on; }

#define VALUE(v) ((v) < (int32_t)input_count ? inputs[(v)] : slots + (size_t)((v) - (int32_t)input_count) * lanes)

#if defined(__x86_64__)
#include <immintrin.h>

int fk_avx2(void) { return !forced_baseline && __builtin_cpu_supports("avx2"); }

__attribute__((target("avx2")))
static void program_avx2(const fk_min_max_op *ops, size_t op_count, const float *const *inputs,
                         size_t input_count, float *slots, size_t lanes) {
    for (size_t o = 0; o < op_count; o++) {
        const float *a = VALUE(ops[o].a), *b = VALUE(ops[o].b);
        float *d = (float *)VALUE(ops[o].dst);
        if (ops[o].max) {
            for (size_t i = 0; i < lanes; i += 8)
                _mm256_storeu_ps(d + i, _mm256_max_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
        } else {
            for (size_t i = 0; i < lanes; i += 8)
                _mm256_storeu_ps(d + i, _mm256_min_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
        }
    }
}

static void program_sse2(const fk_min_max_op *ops, size_t op_count, const float *const *inputs,
                         size_t input_count, float *slots, size_t lanes) {
    for (size_t o = 0; o < op_count; o++) {
        const float *a = VALUE(ops[o].a), *b = VALUE(ops[o].b);
        float *d = (float *)VALUE(ops[o].dst);
        if (ops[o].max) {
            for (size_t i = 0; i < lanes; i += 4)
                _mm_storeu_ps(d + i, _mm_max_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
        } else {
            for (size_t i = 0; i < lanes; i += 4)
                _mm_storeu_ps(d + i, _mm_min_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
        }
    }
}

void fk_min_max_program(const fk_min_max_op *ops, size_t op_count, const float *const *inputs,
                        size_t input_count, float *slots, size_t lanes) {
    if (fk_avx2()) program_avx2(ops, op_count, inputs, input_count, slots, lanes);
    else program_sse2(ops, op_count, inputs, input_count, slots, lanes);
}

#else
// Portable: plain loops the compiler vectorises for whatever the target has.
int fk_avx2(void) { return 0; }

void fk_min_max_program(const fk_min_max_op *ops, size_t op_count, const float *const *inputs,
                        size_t input_count, float *slots, size_t lanes) {
    for (size_t o = 0; o < op_count; o++) {
        const float *a = VALUE(ops[o].a), *b = VALUE(ops[o].b);
        float *d = (float *)VALUE(ops[o].dst);
        if (ops[o].max) {
            for (size_t i = 0; i < lanes; i++) d[i] = a[i] > b[i] ? a[i] : b[i];
        } else {
            for (size_t i = 0; i < lanes; i++) d[i] = a[i] < b[i] ? a[i] : b[i];
        }
    }
}
#endif
