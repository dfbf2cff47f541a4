// One row of the track's post-effects (Sources/Nodes/Look/PostFX.swift has the design). In C
// because Swift kept this loop scalar: its checked float → byte conversion and the possible
// aliasing of the row planes stopped LLVM's vectoriser; with `restrict` and plain casts clang
// vectorises every stage but the table lookup. Same IEEE operations in the same order as the
// Swift formulation it replaced (no FMA, contraction off), so the bytes are unchanged.
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

void look_postfx_row(uint8_t *row, size_t width, const float *table, const look_postfx_params *p,
                     float *trail, const float *mask, float *planes) {
    float *restrict r = planes, *restrict g = planes + width, *restrict b = planes + 2 * width;
    const long w = (long)width, shift = p->shift;
    for (long x = 0; x < w; x++) {
        long xr = x - shift, xb = x + shift;
        xr = xr < 0 ? 0 : xr > w - 1 ? w - 1 : xr;
        xb = xb < 0 ? 0 : xb > w - 1 ? w - 1 : xb;
        r[x] = table[row[xr * 3]];
        g[x] = table[256 + row[x * 3 + 1]];
        b[x] = table[512 + row[xb * 3 + 2]];
    }
    const float *m = p->colour;
    for (long x = 0; x < w; x++) {
        float r0 = r[x], g0 = g[x], b0 = b[x];
        r[x] = clamp01(m[0] * r0 + m[1] * g0 + m[2] * b0);
        g[x] = clamp01(m[3] * r0 + m[4] * g0 + m[5] * b0);
        b[x] = clamp01(m[6] * r0 + m[7] * g0 + m[8] * b0);
    }
    if (trail) {
        float *restrict sr = trail, *restrict sg = trail + width, *restrict sb = trail + 2 * width;
        const float keep = p->keep;
        for (long x = 0; x < w; x++) {
            r[x] = r[x] + keep * (sr[x] - r[x]); sr[x] = r[x];
            g[x] = g[x] + keep * (sg[x] - g[x]); sg[x] = g[x];
            b[x] = b[x] + keep * (sb[x] - b[x]); sb[x] = b[x];
        }
    }
    if (p->flash > 0) {
        const float f = p->flash;
        for (long x = 0; x < w; x++) {
            r[x] = r[x] + (1.0f - r[x]) * f;
            g[x] = g[x] + (1.0f - g[x]) * f;
            b[x] = b[x] + (1.0f - b[x]) * f;
        }
    }
    if (mask) {
        const float *restrict v = mask;
        for (long x = 0; x < w; x++) { r[x] *= v[x]; g[x] *= v[x]; b[x] *= v[x]; }
    }
    if (p->grain > 0) {
        const float amount = p->grain;
        for (long x = 0; x < w; x++) {
            // Triangular noise in [-1, 1) from two 16-bit uniforms of one hash.
            uint64_t h = mix(p->frame_seed + p->first_pixel + (uint64_t)x);
            float n = ((float)(h & 0xFFFF) + (float)((h >> 16) & 0xFFFF)) * (1.0f / 65536.0f) - 1.0f;
            float grain = n * amount;
            r[x] += grain; g[x] += grain; b[x] += grain;
        }
    }
    for (long x = 0; x < w; x++) {
        row[x * 3] = to_byte(r[x]);
        row[x * 3 + 1] = to_byte(g[x]);
        row[x * 3 + 2] = to_byte(b[x]);
    }
}
