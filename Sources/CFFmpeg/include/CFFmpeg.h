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
/// Channel `channel` (0..2) of `count` RGB24 pixels into a plane of `count` bytes.
void cffmpeg_rgb24_extract_channel(const uint8_t *src, size_t count, int channel, uint8_t *plane);
/// A plane of `count` bytes into channel `channel` (0..2) of `count` RGB24 pixels.
void cffmpeg_rgb24_insert_channel(const uint8_t *plane, size_t count, int channel, uint8_t *dst);

#endif
