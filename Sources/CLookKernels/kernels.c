// The CPPN's kernels, compiled for SSE2 (the x86-64 baseline every machine has) and for
// AVX2 + FMA, chosen at run time. Swift compiles for the baseline only, which left the
// activations at half the width the CPU offers; here the same code runs 8 lanes wide.
// Every fused multiply-add is written out (FMA), contraction is off so the compiler adds none,
// and the SSE2 path computes each one with a correctly rounded fmaf: both paths, and the Swift
// `FastMath` reference in the tests, round identically, so the frames' bytes do not depend on
// the CPU. The AVX2 path needs AVX2 and FMA (every x86-64 CPU since 2013 has both).
#pragma clang fp contract(off)

#include "CLookKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define MAGIC 12582912.0f                 /* 1.5 · 2^23: float → nearest integer in the low bits */
#define MAGICBITS 0x4B400000u
/* Swift's Float.pi, which is π rounded toward zero (0x40490FDA), not to nearest. */
#define PI_F 0x1.921fb4p+1f
#define INV_PI (1.0f / PI_F)

// The frame kernel's output channels go in blocks of 4, then one block of 3 if that many are
// left, then one at a time; each block's weights are packed as [inputs × channels].
static inline size_t cppn_block_channels(size_t left) { return left >= 4 ? 4 : left == 3 ? 3 : 1; }

// ---- SSE2, 4 lanes ----
// a·b + c rounded once, lane by lane: fmaf is correctly rounded with or without an FMA unit,
// so this path gives the AVX2 + FMA path's bits (slowly: it is for CPUs older than 2013).
static inline __m128 fma_sse2(__m128 a, __m128 b, __m128 c) {
    float x[4], y[4], z[4];
    _mm_storeu_ps(x, a); _mm_storeu_ps(y, b); _mm_storeu_ps(z, c);
    for (int i = 0; i < 4; i++) z[i] = fmaf(x[i], y[i], z[i]);
    return _mm_loadu_ps(z);
}

#define V __m128
#define W 4
#define SFX sse2
#define TARGET
#define LOAD _mm_loadu_ps
#define STORE _mm_storeu_ps
#define SET1 _mm_set1_ps
#define ADD _mm_add_ps
#define SUB _mm_sub_ps
#define MUL _mm_mul_ps
#define DIV _mm_div_ps
#define MIN _mm_min_ps
#define MAX _mm_max_ps
#define NEG(x) _mm_xor_ps((x), _mm_set1_ps(-0.0f))
#define XOR_SIGN(s, shifted) _mm_xor_ps((s), _mm_castsi128_ps(_mm_slli_epi32(_mm_castps_si128(shifted), 31)))
#define EXPBITS(shifted) _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(_mm_castps_si128(shifted), \
                             _mm_set1_epi32((int)(127u - MAGICBITS))), 23))
#define FMA(a, b, c) fma_sse2((a), (b), (c))
#include "kernels_body.h"
#include "cppn_body.h"
#undef FMA
#undef V
#undef W
#undef SFX
#undef TARGET
#undef LOAD
#undef STORE
#undef SET1
#undef ADD
#undef SUB
#undef MUL
#undef DIV
#undef MIN
#undef MAX
#undef NEG
#undef XOR_SIGN
#undef EXPBITS

// ---- AVX2 + FMA, 8 lanes ----
#define V __m256
#define W 8
#define SFX avx2
#define TARGET __attribute__((target("avx2,fma")))
#define LOAD _mm256_loadu_ps
#define STORE _mm256_storeu_ps
#define SET1 _mm256_set1_ps
#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define MUL _mm256_mul_ps
#define DIV _mm256_div_ps
#define MIN _mm256_min_ps
#define MAX _mm256_max_ps
#define NEG(x) _mm256_xor_ps((x), _mm256_set1_ps(-0.0f))
#define XOR_SIGN(s, shifted) _mm256_xor_ps((s), _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(shifted), 31)))
#define EXPBITS(shifted) _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_castps_si256(shifted), \
                             _mm256_set1_epi32((int)(127u - MAGICBITS))), 23))
#define FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#include "kernels_body.h"
#include "cppn_body.h"

static int forced_sse2 = 0;

int look_kernels_avx2(void) {
    return !forced_sse2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void look_kernels_force_sse2(int on) { forced_sse2 = on; }

#define DISPATCH(name, ...) \
    if (look_kernels_avx2()) name##avx2(__VA_ARGS__); else name##sse2(__VA_ARGS__)

void look_sin(float *x, size_t rows, const float *bias, size_t width) { DISPATCH(look_sin_, x, rows, bias, width); }
void look_gaussian(float *x, size_t rows, const float *bias, size_t width) { DISPATCH(look_gaussian_, x, rows, bias, width); }
void look_tanh(float *x, size_t rows, const float *bias, size_t width) { DISPATCH(look_tanh_, x, rows, bias, width); }
void look_cppn_pack_weights(const float *w, size_t inputs, size_t outputs, float *packed) {
    for (size_t c = 0, mc; c < outputs; c += mc) {
        mc = cppn_block_channels(outputs - c);
        for (size_t k = 0; k < inputs; k++)
            for (size_t i = 0; i < mc; i++) *packed++ = w[k * outputs + c + i];
    }
}

void look_cppn_frame(const look_cppn_net *net, const float *coords, size_t stride, size_t pixels, uint8_t *rgb,
                     float *scratch) {
    DISPATCH(look_cppn_frame_, net, coords, stride, pixels, rgb, scratch);
}
#else
#error "CLookKernels: x86-64 only for now (add a NEON path for arm64)"
#endif
