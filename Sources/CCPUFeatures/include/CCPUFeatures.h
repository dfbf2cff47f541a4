#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H

/// Vector features of this CPU that the OS also enabled (the wider registers saved on a context
/// switch), as the compiler's runtime detects them.
enum {
    CPU_AVX = 1 << 0,
    CPU_AVX2 = 1 << 1,
    CPU_FMA = 1 << 2,
    CPU_AVX512F = 1 << 3,
    CPU_AVX512CD = 1 << 4,
    CPU_AVX512BW = 1 << 5,
    CPU_AVX512DQ = 1 << 6,
    CPU_AVX512VL = 1 << 7,
};

/// The CPU_* bits this machine has.
int cpu_features(void);

#endif
