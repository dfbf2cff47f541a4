// One row of the post-effects, included by postfx.c once per path (no include guard on purpose)
// with TARGET (the function's instruction set) and SFX (its name suffix). Plain C loops that the
// compiler vectorises at the path's width; contraction is off, so no path fuses a multiply-add
// and every path gives the same bytes.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

TARGET static void CAT(postfx_row_, SFX)(uint8_t *row, size_t width, const float *table, const look_postfx_params *p,
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

#undef CAT
#undef CAT_
