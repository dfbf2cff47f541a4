// The CPPN's kernels, compiled for SSE2 (the x86-64 baseline every machine has), for AVX2 +
// FMA and for AVX-512, chosen at run time. Swift compiles for the baseline only, which left the
// activations at a quarter of the width an AVX-512 CPU offers; here the same code runs 8 or 16
// lanes wide. Every fused multiply-add is written out (FMA), contraction is off so the compiler
// adds none, and the SSE2 path computes each one with a correctly rounded fmaf: all paths, and
// the Swift `FastMath` reference in the tests, round identically (each lane does the same IEEE
// operations in the same order; only the number of lanes differs), so the frames' bytes do not
// depend on the CPU. The AVX2 path needs AVX2 and FMA (every x86-64 CPU since 2013 has both);
// the AVX-512 path needs AVX-512F only (Intel since Skylake-SP, AMD since Zen 4).
#pragma clang fp contract(off)

#include "CLookKernels.h"
#include "CCPUFeatures.h"
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
#define TILE 16
#define NV 2
#include "kernels_body.h"
#include "cppn_body.h"
#include "path_end.h"

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
#define TILE 16
#define NV 2
#include "kernels_body.h"
#include "cppn_body.h"
#include "path_end.h"

// ---- AVX-512F, 16 lanes ----
// Only AVX-512F instructions (the float XOR of AVX-512DQ is done on the integer view), so every
// AVX-512 CPU runs it. vminps/vmaxps keep SSE's rule (the second operand when either is NaN).
// A tile is 64 pixels: four vectors per register block (cppn_body.h says why).
#define V __m512
#define W 16
#define SFX avx512
#define TARGET __attribute__((target("avx512f,avx2,fma")))
#define LOAD _mm512_loadu_ps
#define STORE _mm512_storeu_ps
#define SET1 _mm512_set1_ps
#define ADD _mm512_add_ps
#define SUB _mm512_sub_ps
#define MUL _mm512_mul_ps
#define DIV _mm512_div_ps
#define MIN _mm512_min_ps
#define MAX _mm512_max_ps
#define BITS _mm512_castps_si512
#define FLOATS _mm512_castsi512_ps
#define NEG(x) FLOATS(_mm512_xor_si512(BITS(x), _mm512_set1_epi32((int)0x80000000u)))
#define XOR_SIGN(s, shifted) FLOATS(_mm512_xor_si512(BITS(s), _mm512_slli_epi32(BITS(shifted), 31)))
#define EXPBITS(shifted) FLOATS(_mm512_slli_epi32(_mm512_add_epi32(BITS(shifted), \
                             _mm512_set1_epi32((int)(127u - MAGICBITS))), 23))
#define FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define TILE 64
#define NV 4
#include "kernels_body.h"
#include "cppn_body.h"
#include "path_end.h"

_Static_assert(LOOK_CPPN_TILE % 64 == 0 && LOOK_CPPN_TILE % 16 == 0, "LOOK_CPPN_TILE covers every path's tile");

// The fastest path the CPU (and the OS, which must save the wider registers) supports, from
// the one detection OpenBLAS's core choice also reads (CCPUFeatures).
int look_kernels_best_path(void) {
    int f = cpu_features();
    if (f & CPU_AVX512F) return LOOK_PATH_AVX512;
    if ((f & (CPU_AVX2 | CPU_FMA)) == (CPU_AVX2 | CPU_FMA)) return LOOK_PATH_AVX2;
    return LOOK_PATH_SSE2;
}

// Set by tests and benchmarks only, before any kernel runs on another thread.
static int path_limit = LOOK_PATH_AVX512;

void look_kernels_limit(int path) { path_limit = path; }

int look_kernels_path(void) {
    int best = look_kernels_best_path();
    return best < path_limit ? best : path_limit;
}

const char *look_kernels_path_name(int path) {
    switch (path) {
    case LOOK_PATH_AVX512: return "avx512";
    case LOOK_PATH_AVX2: return "avx2";
    default: return "sse2";
    }
}

#define DISPATCH(name, ...)                                       \
    switch (look_kernels_path()) {                                \
    case LOOK_PATH_AVX512: name##avx512(__VA_ARGS__); break;      \
    case LOOK_PATH_AVX2: name##avx2(__VA_ARGS__); break;          \
    default: name##sse2(__VA_ARGS__); break;                      \
    }

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
