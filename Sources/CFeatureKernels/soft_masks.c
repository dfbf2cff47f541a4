// HPSS soft masks (librosa util.softmask, power 2) for one frame, before the energy sums. In C
// because Swift's optimiser left this loop scalar, and it does four divisions per bin; here it is
// vectorised, with AVX2 when the CPU has it. Plain IEEE operations with contraction off (no FMA),
// so every path rounds exactly like the scalar Swift it replaces.
#pragma clang fp contract(off)

#include "CFeatureKernels.h"

#define SOFT_MASK_BODY                                                                      \
    for (size_t k = 0; k < bins; k++) {                                                     \
        float h = harmonic_median[k], p = percussive_median[k];                             \
        float z = h > p ? h : p;                                                            \
        float a = h / z, b = p / z;                                                         \
        float a2 = a * a, b2 = b * b;                                                       \
        int audible = z >= FLT_MIN;                                                         \
        harmonic_part[k] = audible ? frame[k] * (a2 / (a2 + b2)) : 0.0f;                    \
        percussive_part[k] = audible ? frame[k] * (b2 / (a2 + b2)) : 0.0f;                  \
    }

#include <float.h>

#define SIGNATURE(name)                                                                     \
    name(const float *restrict frame, const float *restrict harmonic_median,                \
         const float *restrict percussive_median, size_t bins,                              \
         float *restrict harmonic_part, float *restrict percussive_part)

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void SIGNATURE(soft_masks_avx2) { SOFT_MASK_BODY }
static void SIGNATURE(soft_masks_sse2) { SOFT_MASK_BODY }

void SIGNATURE(fk_soft_masks) {
    if (fk_avx2()) soft_masks_avx2(frame, harmonic_median, percussive_median, bins, harmonic_part, percussive_part);
    else soft_masks_sse2(frame, harmonic_median, percussive_median, bins, harmonic_part, percussive_part);
}
#else
void SIGNATURE(fk_soft_masks) { SOFT_MASK_BODY }
#endif
