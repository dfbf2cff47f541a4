#include "CFFmpeg.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

int cffmpeg_averror(int posix_errno) { return AVERROR(posix_errno); }
int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
int cffmpeg_averror_eagain(void) { return AVERROR(EAGAIN); }
int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }

const char *cffmpeg_err2str(int errnum, char *buffer, size_t size) {
    av_strerror(errnum, buffer, size);
    return buffer;
}

void cffmpeg_quiet_logs(void) { av_log_set_level(AV_LOG_ERROR); }

// FFmpeg has one process-wide log callback; the capture flag and message are per thread, so a
// thread decoding a user's audio keeps its messages while the others print as before.
static _Thread_local int capturing;
static _Thread_local char captured[256];

static void capture_or_print(void *context, int level, const char *format, va_list arguments) {
    if (!capturing) {
        av_log_default_callback(context, level, format, arguments);
        return;
    }
    if (level > AV_LOG_ERROR) return;
    vsnprintf(captured, sizeof captured, format, arguments);
    size_t n = strlen(captured);
    while (n > 0 && (captured[n - 1] == '\n' || captured[n - 1] == '\r' || captured[n - 1] == ' ')) captured[--n] = 0;
}

void cffmpeg_capture_logs(int on) {
    av_log_set_callback(capture_or_print);  // idempotent
    capturing = on;
    if (on) captured[0] = 0;
}

const char *cffmpeg_captured_log(void) { return captured; }

void cffmpeg_rgb24_to_bgrx(const uint8_t *src, int width, int height, uint8_t *dst, int dst_stride, uint8_t fourth) {
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + (size_t)y * width * 3;
        uint8_t *d = dst + (size_t)y * dst_stride;
        for (int x = 0; x < width; x++, s += 3, d += 4) {
            d[0] = s[2];
            d[1] = s[1];
            d[2] = s[0];
            d[3] = fourth;
        }
    }
}

void cffmpeg_rgb24_split(const uint8_t *restrict src, size_t count,
                         uint8_t *restrict c0, uint8_t *restrict c1, uint8_t *restrict c2) {
    for (size_t i = 0; i < count; i++) {
        c0[i] = src[3 * i];
        c1[i] = src[3 * i + 1];
        c2[i] = src[3 * i + 2];
    }
}

void cffmpeg_rgb24_merge(const uint8_t *restrict c0, const uint8_t *restrict c1, const uint8_t *restrict c2,
                         size_t count, uint8_t *restrict dst) {
    for (size_t i = 0; i < count; i++) {
        dst[3 * i] = c0[i];
        dst[3 * i + 1] = c1[i];
        dst[3 * i + 2] = c2[i];
    }
}
