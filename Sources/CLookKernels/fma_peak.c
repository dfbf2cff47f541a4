// The physical limit the benchmarks compare the frame kernel with: independent chains of fused
// multiply-adds that never leave the registers, at a path's vector width. Enough chains to cover
// the FMA units' latency (4 cycles × 2 units = 8 in flight): 12 on AVX2 (of 16 registers), 16 on
// AVX-512 (of 32). Each chain converges (a·b + c with b < 1), so no value overflows or goes
// subnormal, and the sum is returned so the compiler cannot drop the work.
#pragma clang fp contract(off)

#include "CLookKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma"))) static float peak_avx2(long iterations) {
    enum { CHAINS = 12 };
    __m256 acc[CHAINS];
    for (int j = 0; j < CHAINS; j++) acc[j] = _mm256_set1_ps((float)j);
    const __m256 b = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(0.001f);
    for (long i = 0; i < iterations; i++)
        for (int j = 0; j < CHAINS; j++) acc[j] = _mm256_fmadd_ps(acc[j], b, c);
    float out[8], sum = 0;
    for (int j = 0; j < CHAINS; j++) {
        _mm256_storeu_ps(out, acc[j]);
        for (int k = 0; k < 8; k++) sum += out[k];
    }
    return sum;
}

__attribute__((target("avx512f"))) static float peak_avx512(long iterations) {
    enum { CHAINS = 16 };
    __m512 acc[CHAINS];
    for (int j = 0; j < CHAINS; j++) acc[j] = _mm512_set1_ps((float)j);
    const __m512 b = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(0.001f);
    for (long i = 0; i < iterations; i++)
        for (int j = 0; j < CHAINS; j++) acc[j] = _mm512_fmadd_ps(acc[j], b, c);
    float sum = 0;
    for (int j = 0; j < CHAINS; j++) sum += _mm512_reduce_add_ps(acc[j]);
    return sum;
}

double look_fma_peak(int path, long iterations, float *sink) {
    switch (path) {
    case LOOK_PATH_AVX512: *sink = peak_avx512(iterations); return 2.0 * 16 * 16 * (double)iterations;
    case LOOK_PATH_AVX2: *sink = peak_avx2(iterations); return 2.0 * 12 * 8 * (double)iterations;
    default: return 0;
    }
}
#endif
