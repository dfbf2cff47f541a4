#ifndef CFEATUREKERNELS_H
#define CFEATUREKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// One step of a min/max program: value[dst] = max ? max(value[a], value[b]) : min(value[a], value[b]),
/// lane by lane. min(x, y) is `x < y ? x : y` and max(x, y) is `x > y ? x : y` (minps / maxps).
typedef struct {
    int32_t a;
    int32_t b;
    int32_t dst;
    int32_t max;
} fk_min_max_op;

/// Runs a min/max program (see Sources/Nodes/Features/MedianNetwork.swift) over `lanes` floats.
/// Value v < input_count is the row inputs[v]; value v >= input_count is the row
/// slots + (v - input_count) * lanes. Every dst is a slot; a step may overwrite one of its own
/// operands. `lanes` must be a multiple of 8. Selection only (no arithmetic), so the AVX2, SSE2
/// and portable paths give the same bits.
void fk_min_max_program(const fk_min_max_op *ops, size_t op_count,
                        const float *const *inputs, size_t input_count,
                        float *slots, size_t lanes);

/// HPSS soft masks (power 2) of one frame: for each bin, with z = max(h, p) of the two medians,
/// a = h / z and b = p / z, the parts frame·a²/(a² + b²) and frame·b²/(a² + b²), or 0 and 0 where
/// z is below FLT_MIN. IEEE operations in that order, no FMA: the same bits on every path.
void fk_soft_masks(const float *frame, const float *harmonic_median, const float *percussive_median,
                   size_t bins, float *harmonic_part, float *percussive_part);

/// Power and magnitude of `bins` complex values (re, im interleaved, as FFTW's output):
/// power = re·re + im·im (0 where that is not finite), magnitude = √power.
void fk_power_spectrum(const float *spectrum, size_t bins, float *power, float *magnitude);

/// 1 when the AVX2 path is in use (for benchmarks and reports).
int fk_avx2(void);
/// Forces the baseline path (on = 1), so tests can check both paths give the same bits.
void fk_force_baseline(int on);

#endif
