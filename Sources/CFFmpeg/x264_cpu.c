// libx264's CPU capabilities without AVX-512, for the track encoder.
//
// libx264 0.164's AVX-512 code reads memory it never wrote while it builds the macroblock tree
// (mb-tree with B-frames): the same frames encode to different bytes depending on what the
// allocator left in that memory (MALLOC_PERTURB_=0/85/170 give three files), while every level
// from SSSE3 to AVX2 gives the same bytes as each other, whatever the allocator did. valgrind
// cannot see it: it does not emulate AVX-512, so under it x264 takes the AVX2 path.
// x264's own detection is used with only AVX-512 taken out, its flag read from x264's own
// name table, so no flag value is assumed; on CPUs without AVX-512, or with a libx264 that
// does not export these symbols, nothing changes.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "CFFmpeg.h"

// x264.h's x264_cpu_name_t (the header is not needed to build against libavcodec).
typedef struct {
    const char *name;
    uint32_t flags;
} x264_cpu_name;

static uint32_t flags_named(const x264_cpu_name *names, const char *wanted) {
    for (int i = 0; i < 64 && names[i].flags; i++) {
        if (names[i].name && strcmp(names[i].name, wanted) == 0) return names[i].flags;
    }
    return 0;
}

int cffmpeg_x264_asm_without_avx512(char *buffer, size_t size) {
    uint32_t (*detect)(void) = (uint32_t (*)(void))dlsym(RTLD_DEFAULT, "x264_cpu_detect");
    const x264_cpu_name *names = dlsym(RTLD_DEFAULT, "x264_cpu_names");
    if (!detect || !names) return 0;
    // Each name's flags include the levels it implies: AVX-512's own bit is the one AVX2 lacks.
    uint32_t avx512 = flags_named(names, "AVX512"), avx2 = flags_named(names, "AVX2");
    if (!avx512 || !avx2) return 0;
    uint32_t own = avx512 & ~avx2, cpu = detect();
    if (!own || !(cpu & own)) return 0;
    snprintf(buffer, size, "%u", cpu & ~own);
    return 1;
}
