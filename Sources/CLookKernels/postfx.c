// One row of the track's post-effects (Sources/Nodes/Look/PostFX.swift has the design). In C
// because Swift kept this loop scalar: its checked float → byte conversion and the possible
// aliasing of the row planes stopped LLVM's vectoriser; with `restrict` and plain casts clang
// vectorises every stage but the table lookup. Same IEEE operations in the same order as the
// Swift formulation it replaced (no FMA, contraction off), so the bytes are unchanged. Compiled
// for each of the kernels' paths (SSE2, AVX2, AVX-512: 4, 8 or 16 floats a vector) and chosen like
// them at run time, so tests can run each path and compare its bytes.
#pragma clang fp contract(off)

#include "CLookKernels.h"

static inline float clamp01(float v) {
    float m = 0.0f >= v ? 0.0f : v;   // Swift's max(v, 0)
    return 1.0f < m ? 1.0f : m;       // Swift's min(m, 1)
}

static inline uint8_t to_byte(float v) {
    float s = v * 255.0f + 0.5f;
    float m = 0.0f >= s ? 0.0f : s;
    m = 255.0f < m ? 255.0f : m;
    return (uint8_t)(int)m;           // truncation, as Swift's UInt8(Float)
}

static inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define SFX sse2
#define TARGET
#include "postfx_body.h"
#undef SFX
#undef TARGET

#define SFX avx2
#define TARGET __attribute__((target("avx2")))
#include "postfx_body.h"
#undef SFX
#undef TARGET

#define SFX avx512
#define TARGET __attribute__((target("avx512f,avx2")))
#include "postfx_body.h"
#undef SFX
#undef TARGET

void look_postfx_row(uint8_t *row, size_t width, const float *table, const look_postfx_params *p,
                     float *trail, const float *mask, float *planes) {
    switch (look_kernels_path()) {
    case LOOK_PATH_AVX512: postfx_row_avx512(row, width, table, p, trail, mask, planes); break;
    case LOOK_PATH_AVX2: postfx_row_avx2(row, width, table, p, trail, mask, planes); break;
    default: postfx_row_sse2(row, width, table, p, trail, mask, planes); break;
    }
}
