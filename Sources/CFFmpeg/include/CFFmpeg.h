// FFmpeg headers for Swift, plus wrappers for the function-like macros that Swift cannot import.
#ifndef CFFMPEG_H
#define CFFMPEG_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/dict.h>
#include <libavutil/mathematics.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

/// AVERROR(e) for a POSIX errno value.
int cffmpeg_averror(int posix_errno);
/// AVERROR_EOF.
int cffmpeg_averror_eof(void);
/// AVERROR(EAGAIN).
int cffmpeg_averror_eagain(void);
/// AV_NOPTS_VALUE.
int64_t cffmpeg_nopts_value(void);
/// av_err2str into a caller-owned buffer of at least AV_ERROR_MAX_STRING_SIZE bytes.
const char *cffmpeg_err2str(int errnum, char *buffer, size_t size);
/// Silences FFmpeg's own logging except errors, once per process.
void cffmpeg_quiet_logs(void);
/// While on (per thread), FFmpeg's messages are kept instead of printed: the last error-level one
/// stays readable through cffmpeg_captured_log, to become part of a one-line error. Turning it on
/// clears the last message. Other threads log as before.
void cffmpeg_capture_logs(int on);
const char *cffmpeg_captured_log(void);
/// libx264's `asm` option for its own detected CPU capabilities minus AVX-512 (whose mb-tree
/// code reads memory it never wrote), as a decimal mask into `buffer`; 0 when there is nothing
/// to take out (no AVX-512) or libx264 does not say, 1 when `buffer` holds the value.
int cffmpeg_x264_asm_without_avx512(char *buffer, size_t size);


/// Pixel shuffles used by the media layer (plain C: fast even in debug builds, and exact).
/// RGB24 rows (tightly packed, width*3 bytes) into B,G,R,X rows of `dst_stride` bytes, X = `fourth`.
void cffmpeg_rgb24_to_bgrx(const uint8_t *src, int width, int height, uint8_t *dst, int dst_stride, uint8_t fourth);
/// `count` RGB24 pixels into three planes of `count` bytes: channel 0 into `c0`, 1 into `c1`, 2 into `c2`.
/// One pass over the pixels (three strided passes, one per channel, cost twice as much).
void cffmpeg_rgb24_split(const uint8_t *src, size_t count, uint8_t *c0, uint8_t *c1, uint8_t *c2);
/// Three planes of `count` bytes into `count` RGB24 pixels (`c0` is channel 0).
void cffmpeg_rgb24_merge(const uint8_t *c0, const uint8_t *c1, const uint8_t *c2, size_t count, uint8_t *dst);

#endif
