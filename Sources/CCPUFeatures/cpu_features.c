// The CPU's vector features for Swift, which has no __builtin_cpu_supports. The builtin takes
// only string literals, hence one line per feature.
#include "CCPUFeatures.h"

int cpu_features(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int f = 0;
    if (__builtin_cpu_supports("avx")) f |= CPU_AVX;
    if (__builtin_cpu_supports("avx2")) f |= CPU_AVX2;
    if (__builtin_cpu_supports("fma")) f |= CPU_FMA;
    if (__builtin_cpu_supports("avx512f")) f |= CPU_AVX512F;
    if (__builtin_cpu_supports("avx512cd")) f |= CPU_AVX512CD;
    if (__builtin_cpu_supports("avx512bw")) f |= CPU_AVX512BW;
    if (__builtin_cpu_supports("avx512dq")) f |= CPU_AVX512DQ;
    if (__builtin_cpu_supports("avx512vl")) f |= CPU_AVX512VL;
    return f;
#else
    return 0;
#endif
}
