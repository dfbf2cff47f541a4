import CFFmpeg
import Foundation

/// FFmpeg's text for an error code (av_strerror), e.g. "No such file or directory".
func ffmpegErrorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    return buffer.withUnsafeMutableBufferPointer { buf in
        String(cString: cffmpeg_err2str(code, buf.baseAddress, buf.count))
    }
}

/// Turns FFmpeg's "negative means error" convention into a Swift throw that names the file.
@discardableResult
func check(_ ret: Int32, _ what: String, file: String) throws -> Int32 {
    if ret < 0 { throw MediaError.ffmpeg(file: file, operation: what, code: ret) }
    return ret
}

/// AVERROR(EAGAIN) and AVERROR_EOF, read once: they steer every send/receive loop.
let averrorEAGAIN = cffmpeg_averror_eagain()
let averrorEOF = cffmpeg_averror_eof()

/// FFmpeg logs to stderr by default; a build tool prints its own one-line errors instead.
/// Calling av_log_set_level repeatedly is harmless, so no once-flag (and no global state) is needed.
func quietFFmpeg() { cffmpeg_quiet_logs() }

/// Builds an AVDictionary of options; the caller frees it with av_dict_free.
/// Keys are applied in sorted order so the result never depends on Swift's hash seed.
func makeDictionary(_ entries: [String: String]) -> OpaquePointer? {
    var dict: OpaquePointer?
    for key in entries.keys.sorted() { av_dict_set(&dict, key, entries[key], 0) }
    return dict
}

/// Parses an encoder bitrate such as "192k" or "128000" into bits per second.
func parseBitrate(_ text: String, file: String) throws -> Int {
    guard let bits = EncoderLimits.audioBitrate(text) else {
        throw MediaError.invalid(file: file, reason: "cannot use audio bitrate '\(text)' (expected \(EncoderLimits.audioBitrateExpectation))")
    }
    return bits
}
