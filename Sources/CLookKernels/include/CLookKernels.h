#ifndef CLOOKKERNELS_H
#define CLOOKKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The CPPN's element-wise kernels (see Sources/Nodes/Look/Activations.swift for the maths).
/// Each runs 8 lanes wide with AVX2 when the CPU has it and 4 wide with SSE2 otherwise; both
/// paths perform the same IEEE operations in the same order (no FMA), so they give the same bits.

/// x[p*width + j] = sin(x[p*width + j] + bias[j]) for p in 0..<rows. For these three and for
/// look_sigmoid_bytes, bias may be NULL: x already holds the biased values.
void look_sin(float *x, size_t rows, const float *bias, size_t width);
/// x[p*width + j] = exp(-(x + bias[j])^2)
void look_gaussian(float *x, size_t rows, const float *bias, size_t width);
/// x[p*width + j] = tanh(x + bias[j])
void look_tanh(float *x, size_t rows, const float *bias, size_t width);
/// out[p*width + j] = sin(cx*w[j] + cy*w[width+j] + cr*w[2*width+j] + bias[j]) for the
/// coordinates (cx, cy, cr) = coords[3p ..< 3p+3]
void look_sin_affine(float *out, const float *coords, size_t rows, const float *weights, const float *bias, size_t width);
/// out[p*3 + c] = round(255 * sigmoid(v[p*3 + c] + bias[c])) for p in 0..<pixels
void look_sigmoid_bytes(const float *v, const float *bias, size_t pixels, uint8_t *out);
/// 1 when the AVX2 path is in use (for benchmarks and reports).
int look_kernels_avx2(void);
/// Forces the SSE2 path (on = 1), so tests can check both paths give the same bits.
void look_kernels_force_sse2(int on);

#endif
