// |X|² and |X| of one FFT frame. In C because Swift's squareRoot() compiled to a scalar sqrtss
// with a libm fallback call, and its isFinite test to a branch, per bin: here they are sqrtps and
// a compare-and-mask, 8 bins at a time with AVX2. Correctly rounded square roots and plain IEEE
// multiplies and adds (no FMA), so every path gives the same bits as the scalar code.
#pragma clang fp contract(off)

#include "CFeatureKernels.h"
#include <math.h>

// Scalar: power = re² + im², zero unless finite (only absurd input overflows), magnitude = √power.
static inline void one_bin(const float *spectrum, size_t k, float *power, float *magnitude) {
    float p = spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1];
    if (!(p < INFINITY)) p = 0.0f;  // +Inf or NaN; p is never negative
    power[k] = p;
    magnitude[k] = sqrtf(p);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static size_t power_avx2(const float *spectrum, size_t bins, float *power, float *magnitude) {
    const __m256 inf = _mm256_set1_ps(INFINITY);
    size_t k = 0;
    for (; k + 8 <= bins; k += 8) {
        __m256 a = _mm256_loadu_ps(spectrum + 2 * k), b = _mm256_loadu_ps(spectrum + 2 * k + 8);
        a = _mm256_mul_ps(a, a);
        b = _mm256_mul_ps(b, b);
        // Within 128-bit halves: (re², im²) pairs → re² of 4 bins and im² of 4 bins, then the
        // halves back in bin order.
        __m256 re = _mm256_shuffle_ps(a, b, 0x88), im = _mm256_shuffle_ps(a, b, 0xDD);
        __m256 p = _mm256_add_ps(re, im);
        p = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(p), 0xD8));
        p = _mm256_and_ps(p, _mm256_cmp_ps(p, inf, _CMP_LT_OQ));
        _mm256_storeu_ps(power + k, p);
        _mm256_storeu_ps(magnitude + k, _mm256_sqrt_ps(p));
    }
    return k;
}

static size_t power_sse2(const float *spectrum, size_t bins, float *power, float *magnitude) {
    const __m128 inf = _mm_set1_ps(INFINITY);
    size_t k = 0;
    for (; k + 4 <= bins; k += 4) {
        __m128 a = _mm_loadu_ps(spectrum + 2 * k), b = _mm_loadu_ps(spectrum + 2 * k + 4);
        a = _mm_mul_ps(a, a);
        b = _mm_mul_ps(b, b);
        __m128 p = _mm_add_ps(_mm_shuffle_ps(a, b, 0x88), _mm_shuffle_ps(a, b, 0xDD));
        p = _mm_and_ps(p, _mm_cmplt_ps(p, inf));
        _mm_storeu_ps(power + k, p);
        _mm_storeu_ps(magnitude + k, _mm_sqrt_ps(p));
    }
    return k;
}
#endif

void fk_power_spectrum(const float *spectrum, size_t bins, float *power, float *magnitude) {
    size_t k = 0;
#if defined(__x86_64__)
    k = fk_avx2() ? power_avx2(spectrum, bins, power, magnitude) : power_sse2(spectrum, bins, power, magnitude);
#endif
    for (; k < bins; k++) one_bin(spectrum, k, power, magnitude);
}
