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

#endif
