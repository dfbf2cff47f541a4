#include "CFFmpeg.h"
#include <errno.h>

int cffmpeg_averror(int posix_errno) { return AVERROR(posix_errno); }
int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
int cffmpeg_averror_eagain(void) { return AVERROR(EAGAIN); }
int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }

const char *cffmpeg_err2str(int errnum, char *buffer, size_t size) {
    av_strerror(errnum, buffer, size);
    return buffer;
}

void cffmpeg_quiet_logs(void) { av_log_set_level(AV_LOG_ERROR); }
