// Included by kernels.c once per path (no include guard on purpose): 4-lane SSE2, 8-lane AVX2 and 16-lane AVX-512 macros.
// Needs: V (vector type), W (lanes), SFX (name suffix), TARGET (function attribute) and the
// op macros LOAD STORE SET1 ADD SUB MUL DIV MIN MAX FMA (a·b + c, rounded once) and the integer
// ops XOR_SIGN/EXPBITS.
// MIN(a, b) is `a < b ? a : b` and MAX(a, b) is `a > b ? a : b`, like FastMath.lower/upper.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

TARGET static inline V CAT(vsin, SFX)(V v) {
    v = MAX(MIN(v, SET1(1000000.0f)), SET1(-1000000.0f));
    V shifted = FMA(v, SET1(INV_PI), SET1(MAGIC));
    V q = SUB(shifted, SET1(MAGIC));
    V r = FMA(NEG(q), SET1(PI_F), v);
    V r2 = MUL(r, r);
    V p = SET1(-1.8363654e-4f);
    p = FMA(p, r2, SET1(8.3063252e-3f));
    p = FMA(p, r2, SET1(-1.6664828e-1f));
    p = FMA(p, r2, SET1(9.9999662e-1f));
    V s = MUL(r, p);
    return XOR_SIGN(s, shifted);
}

TARGET static inline V CAT(vexp2, SFX)(V t) {
    V shifted = ADD(t, SET1(MAGIC));
    V f = SUB(t, SUB(shifted, SET1(MAGIC)));
    V p = SET1(9.5701597e-3f);
    p = FMA(p, f, SET1(5.5917867e-2f));
    p = FMA(p, f, SET1(2.4024743e-1f));
    p = FMA(p, f, SET1(6.9312181e-1f));
    p = FMA(p, f, SET1(9.9999926e-1f));
    return MUL(p, EXPBITS(shifted));
}

// exp(-v²) with its exponent floored at -64 (FastMath.gaussianFloor): smaller values multiplied
// by the next layer's weights would be subnormal, which costs ~100 cycles an operation.
TARGET static inline V CAT(vgauss, SFX)(V v) {
    return CAT(vexp2, SFX)(MAX(MUL(MUL(v, v), SET1(-1.442695041f)), SET1(-64.0f)));
}

TARGET static inline V CAT(vtanh, SFX)(V v) {
    v = MAX(MIN(v, SET1(9.0f)), SET1(-9.0f));
    V e = CAT(vexp2, SFX)(MUL(v, SET1(2.885390082f)));
    return SUB(SET1(1.0f), DIV(SET1(2.0f), ADD(e, SET1(1.0f))));
}

// bias == NULL: the bias is already in x (the CPPN has sgemm add it, beta = 1 over rows
// pre-filled with the bias, which rounds exactly like adding it here), so the block is one
// contiguous run of rows·width values.
#define ELEMENTWISE(name, fn)                                                                       \
TARGET static void CAT(name, SFX)(float *x, size_t rows, const float *bias, size_t width) {        \
    if (!bias) {                                                                                    \
        size_t n = rows * width, i = 0;                                                             \
        for (; i + W <= n; i += W) STORE(x + i, fn(LOAD(x + i)));                                   \
        if (i < n) {                                                                                \
            float a[W] = {0};                                                                       \
            memcpy(a, x + i, (n - i) * sizeof(float));                                              \
            STORE(a, fn(LOAD(a)));                                                                  \
            memcpy(x + i, a, (n - i) * sizeof(float));                                              \
        }                                                                                           \
        return;                                                                                     \
    }                                                                                               \
    for (size_t p = 0; p < rows; p++) {                                                             \
        float *row = x + p * width;                                                                 \
        size_t j = 0;                                                                               \
        for (; j + W <= width; j += W) STORE(row + j, fn(ADD(LOAD(row + j), LOAD(bias + j))));     \
        if (j < width) {                                                                            \
            float a[W] = {0}, b[W] = {0};                                                           \
            memcpy(a, row + j, (width - j) * sizeof(float));                                        \
            memcpy(b, bias + j, (width - j) * sizeof(float));                                       \
            STORE(a, fn(ADD(LOAD(a), LOAD(b))));                                                    \
            memcpy(row + j, a, (width - j) * sizeof(float));                                        \
        }                                                                                           \
    }                                                                                               \
}
ELEMENTWISE(look_sin_, CAT(vsin, SFX))
ELEMENTWISE(look_gaussian_, CAT(vgauss, SFX))
ELEMENTWISE(look_tanh_, CAT(vtanh, SFX))
#undef ELEMENTWISE

// round(255 · sigmoid(x)) + MAGIC: the byte is the low bits of the result.
TARGET static inline V CAT(vsigmoid255, SFX)(V x) {
    // e = exp(-x) = exp2(clamp(-x · log2 e, -126, 127)); y = 1 / (1 + e)
    V neg = NEG(x);  // exactly -x, as Swift negation
    V e = CAT(vexp2, SFX)(MAX(MIN(MUL(neg, SET1(1.442695041f)), SET1(127.0f)), SET1(-126.0f)));
    V y = DIV(SET1(1.0f), ADD(SET1(1.0f), e));
    return ADD(MAX(MIN(MUL(y, SET1(255.0f)), SET1(255.0f)), SET1(0.0f)), SET1(MAGIC));
}

#undef CAT
#undef CAT_
