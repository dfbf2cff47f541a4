#ifndef CLOOKKERNELS_H
#define CLOOKKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The CPPN's element-wise kernels (the maths, scalar, in Tests/NodesTests/FastMath.swift).
/// Each runs 16 lanes wide with AVX-512, 8 with AVX2 + FMA, 4 with SSE2, the widest the CPU
/// has; every path performs the same IEEE operations in the same order per value, so they give
/// the same bits.

/// x[p*width + j] = tanh(x[p*width + j] + bias[j]) for p in 0..<rows (the conv generator's
/// output). For these three, bias may be NULL: x already holds the biased values.
void look_tanh(float *x, size_t rows, const float *bias, size_t width);
/// x[p*width + j] = sin(x + bias[j]), and below exp(-(x + bias[j])^2). Exported for the tests
/// only (the frame kernel calls the same code inlined): they check each activation against
/// FastMath bit for bit on values a frame never reaches (NaN, ±inf, ±1e7) and on vector tails,
/// which the whole-frame comparison cannot isolate.
void look_sin(float *x, size_t rows, const float *bias, size_t width);
void look_gaussian(float *x, size_t rows, const float *bias, size_t width);
/// Coordinates are padded to a multiple of this many pixels, and look_cppn_frame's scratch is
/// sized by it: a multiple of every path's tile (16 pixels on SSE2 and AVX2, 64 on AVX-512).
#define LOOK_CPPN_TILE 64

/// Hidden-layer activations of look_cppn_frame (cos is sin with the bias shifted by π/2).
enum { LOOK_ACT_SIN = 0, LOOK_ACT_GAUSSIAN = 1, LOOK_ACT_TANH = 2, LOOK_ACT_NONE = 3 };

/// One frame's CPPN (Sources/Nodes/Look/CPPN.swift).
typedef struct {
    size_t hidden;                 ///< H
    size_t layers;                 ///< the first layer plus layers - 1 hidden layers
    const float *first_weights;    ///< [3 × H]: x, y, r (camera folded in)
    const float *first_bias;       ///< [H] (latent folded in)
    const float *weights;          ///< (layers - 1) × [H × H], hidden layers 1, 2, …, each packed by look_cppn_pack_weights
    const float *biases;           ///< (layers - 1) × [H], the pre-biases (cos: shifted by π/2)
    const int *activations;        ///< (layers - 1) LOOK_ACT_* values
    const float *out_weight;       ///< [H × 3] (already in packed order: one block of 3)
    const float *out_bias;         ///< [3]
    float *out_values;             ///< NULL, or pixels × 3 floats: the output layer before the sigmoid
                                   ///< (so tests can compare the network's floats, not only its bytes)
} look_cppn_net;

/// Rewrites a row-major [inputs × outputs] weight matrix in the order the frame kernel reads it:
/// per block of output channels, that block's columns for k = 0, 1, … (sequential reads).
void look_cppn_pack_weights(const float *w, size_t inputs, size_t outputs, float *packed);

/// rgb[3p + c] for p in 0..<pixels: the network at coordinates (x, y, r) = (coords[p],
/// coords[stride + p], coords[2·stride + p]); stride ≥ pixels rounded up to LOOK_CPPN_TILE, the
/// padding readable. Layer by layer: v = bias + Σ_k w[k]·a[k], one FMA per k in ascending k, then
/// the activation (FastMath's definitions, in the tests); bytes round(255 · sigmoid(v)). `scratch` holds
/// (2·H + 3) · LOOK_CPPN_TILE floats.
void look_cppn_frame(const look_cppn_net *net, const float *coords, size_t stride, size_t pixels, uint8_t *rgb,
                     float *scratch);

/// The kernels' code paths, narrowest first.
enum { LOOK_PATH_SSE2 = 0, LOOK_PATH_AVX2 = 1, LOOK_PATH_AVX512 = 2 };
/// The widest path this CPU supports.
int look_kernels_best_path(void);
/// The path in use: the best one, or lower if limited (for benchmarks and reports).
int look_kernels_path(void);
/// Caps the path (LOOK_PATH_AVX512: no cap), so tests can check every path gives the same bits.
/// Not thread-safe: set it before kernels run on other threads.
void look_kernels_limit(int path);
/// "sse2", "avx2" or "avx512".
const char *look_kernels_path_name(int path);

/// For benchmarks: `iterations` rounds of register-resident FMAs at the width of `path` (which
/// the CPU must have). Returns the FLOPs done (0 for SSE2, which has no FMA unit); the result of
/// the arithmetic goes to *sink.
double look_fma_peak(int path, long iterations, float *sink);

/// The per-frame constants of the post-effects (Sources/Nodes/Look/PostFX.swift).
typedef struct {
    float colour[9];        ///< hue rotation + saturation, row-major
    float keep;             ///< trail weight of the previous output
    float flash;            ///< 0 … 1 towards white
    float grain;            ///< grain amplitude (0: none)
    long shift;             ///< chroma shift in pixels (red from the left, blue from the right)
    uint64_t frame_seed;    ///< grain seed of this frame
    uint64_t first_pixel;   ///< index of the row's first pixel in the frame (grain is per pixel)
} look_postfx_params;

/// Post-effects on one packed-RGB row in place: tone table (3 × 256 floats) with chroma shift,
/// colour matrix, trails (planar R, G, B state of this row; NULL: off), flash, vignette (the
/// row's mask; NULL: off), grain, bytes. `planes` is scratch space for 3 × width floats.
void look_postfx_row(uint8_t *row, size_t width, const float *table, const look_postfx_params *p,
                     float *trail, const float *mask, float *planes);

#endif
