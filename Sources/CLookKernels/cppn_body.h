// The CPPN frame kernel, included by kernels.c after kernels_body.h (same macros) once per path:
// SSE2 with a correctly rounded scalar fmaf per lane, AVX2 + FMA, AVX-512. All make the same
// IEEE operations in the same order per pixel, so they give the same bits. TILE is the path's
// tile in pixels (a multiple of NV · W; LOOK_CPPN_TILE is a multiple of every path's).
//
// Why by hand and not OpenBLAS (which `ntsbuild bench look` still measures as the reference):
// a CPPN layer is a K = H, N = H product (H ≈ 32) followed by an activation, one layer after the
// other. sgemm packs both operands on every call and writes a block of 4096 rows out to L2/L3,
// where the activation reads it back; here a tile of TILE pixels goes through every
// layer inside L1 and the weights are packed once per CPPN (look_cppn_pack_weights). No library
// on the machine fuses an element-wise epilogue into a product. A side effect: the summation
// order is ours (bias, then k = 0, 1, …, one FMA each), so a frame's bytes no longer depend on
// which kernel OpenBLAS picks for the CPU.
//
// TILE = 16 pixels on AVX2 (one register block wide): the same speed as 48 or 96 at H = 32
// within this VM's noise, and at H = 256 (a 64 KB tile instead of 192 KB) 71 against 61 GFLOP/s
// for 48 — medians of four interleaved rounds of `bench look`. On AVX-512 one register block is
// 64 pixels; at H = 256 its 128 KB tile no longer fits L1, yet it renders at 107–155 GFLOP/s
// against SkylakeX sgemm's ~155 (`ntsbench look --hidden 256 --frames 3`, two rounds).
//
// Layout inside a tile is channel-major (`a[k * TILE + p]`): pixels run along the vector lanes,
// so every activation, the first layer and the 3-channel output are plain vector loops.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
// NV (set per path): vectors of pixels per register block.
// out[c][p] = bias[c] + Σ_k w[k][c] · in[k][p] for the MC channels from c0 and the NV·W
// pixels from p; the block's weights are packed (look_cppn_pack_weights), read front to back.
// With MC = 4 and NV = 2 (AVX2): 8 accumulators (as many FMAs as the two FMA units keep in
// flight), 2 input vectors and a broadcast weight, no spills (with 12 of AVX2's 16 registers as
// accumulators clang spilled one to the stack on every k, on the loop's critical path). AVX-512
// has 32 registers: NV = 4 gives 16 accumulators, twice the FMAs in flight, so the loop runs at
// the FMA units' throughput instead of their latency. MC is a constant after inlining.
#define CPPN_BLOCK(MC)                                                                                          \
TARGET static inline __attribute__((always_inline)) void CAT(cppn_block##MC##_, SFX)(                    \
    const float *in, float *out, size_t inputs, const float *w, const float *bias, size_t c0, size_t p) {      \
    V s[MC][NV];                                                                                                \
    for (int i = 0; i < MC; i++)                                                                                \
        for (int j = 0; j < NV; j++) s[i][j] = SET1(bias[c0 + i]);                                              \
    const float *a = in + p, *wk = w + c0 * inputs;  /* packed: this block's weights, [inputs × MC] */         \
    for (size_t k = 0; k < inputs; k++, a += TILE, wk += MC) {                                                  \
        V x[NV];                                                                                                \
        for (int j = 0; j < NV; j++) x[j] = LOAD(a + j * W);                                                    \
        for (int i = 0; i < MC; i++) {                                                                          \
            V weight = SET1(wk[i]);                                                                             \
            for (int j = 0; j < NV; j++) s[i][j] = FMA(weight, x[j], s[i][j]);                                  \
        }                                                                                                       \
    }                                                                                                           \
    for (int i = 0; i < MC; i++)                                                                                \
        for (int j = 0; j < NV; j++) STORE(out + (c0 + i) * TILE + p + j * W, s[i][j]);                         \
}
CPPN_BLOCK(4)
CPPN_BLOCK(3)
CPPN_BLOCK(1)
#undef CPPN_BLOCK

// One layer over the tile: the products, then the activation over the tile's outputs (still in
// L1; a separate pass keeps the product loop's registers free for accumulators).
TARGET static void CAT(cppn_layer_, SFX)(const float *in, float *out, size_t inputs, size_t outputs,
                                               const float *w, const float *bias, int kind) {
    for (size_t c = 0, mc; c < outputs; c += mc) {
        mc = cppn_block_channels(outputs - c);
        for (size_t p = 0; p < TILE; p += NV * W) {
            if (mc == 4) CAT(cppn_block4_, SFX)(in, out, inputs, w, bias, c, p);
            else if (mc == 3) CAT(cppn_block3_, SFX)(in, out, inputs, w, bias, c, p);
            else CAT(cppn_block1_, SFX)(in, out, inputs, w, bias, c, p);
        }
    }
    switch (kind) {
    case LOOK_ACT_SIN: CAT(look_sin_, SFX)(out, outputs, NULL, TILE); break;
    case LOOK_ACT_GAUSSIAN: CAT(look_gaussian_, SFX)(out, outputs, NULL, TILE); break;
    case LOOK_ACT_TANH: CAT(look_tanh_, SFX)(out, outputs, NULL, TILE); break;
    default: break;  /* LOOK_ACT_NONE: the output layer, whose sigmoid comes with the bytes */
    }
}

// First layer, K = 3: sin(bias + x·wx + y·wy + r·wr), one FMA per term (FastMath.sinAffine).
TARGET static void CAT(cppn_first_, SFX)(const float *xs, const float *ys, const float *rs, float *out,
                                              size_t hidden, const float *w, const float *bias) {
    for (size_t c = 0; c < hidden; c++) {
        V wx = SET1(w[c]), wy = SET1(w[hidden + c]), wr = SET1(w[2 * hidden + c]), b = SET1(bias[c]);
        float *o = out + c * TILE;
        for (size_t p = 0; p < TILE; p += W) {
            V v = FMA(LOAD(rs + p), wr, FMA(LOAD(ys + p), wy, FMA(LOAD(xs + p), wx, b)));
            STORE(o + p, CAT(vsin, SFX)(v));
        }
    }
}

TARGET static void CAT(look_cppn_frame_, SFX)(const look_cppn_net *net, const float *coords, size_t stride,
                                                    size_t pixels, uint8_t *rgb, float *scratch) {
    const size_t H = net->hidden;
    float *a = scratch, *b = scratch + H * TILE;
    float *o = b + H * TILE;           /* 3 × TILE: output pre-activations, then magic-shifted bytes */
    for (size_t start = 0; start < pixels; start += TILE) {
        CAT(cppn_first_, SFX)(coords + start, coords + stride + start, coords + 2 * stride + start, a, H,
                             net->first_weights, net->first_bias);
        float *current = a, *next = b;
        for (size_t l = 0; l + 1 < net->layers; l++) {
            CAT(cppn_layer_, SFX)(current, next, H, H, net->weights + l * H * H, net->biases + l * H, net->activations[l]);
            float *t = current; current = next; next = t;
        }
        CAT(cppn_layer_, SFX)(current, o, H, 3, net->out_weight, net->out_bias, LOOK_ACT_NONE);
        size_t n = pixels - start < TILE ? pixels - start : TILE;
        if (net->out_values)
            for (size_t p = 0; p < n; p++)
                for (size_t ch = 0; ch < 3; ch++) net->out_values[(start + p) * 3 + ch] = o[ch * TILE + p];
        for (size_t p = 0; p < 3 * TILE; p += W) STORE(o + p, CAT(vsigmoid255, SFX)(LOAD(o + p)));
        uint8_t *dst = rgb + start * 3;
        for (size_t p = 0; p < n; p++)
            for (size_t ch = 0; ch < 3; ch++) {
                uint32_t bits;
                memcpy(&bits, o + ch * TILE + p, 4);
                dst[p * 3 + ch] = (uint8_t)bits;
            }
    }
}

#undef CAT
#undef CAT_
