/// Everything the FFmpeg media layer can fail with. Every message is one line and names the file,
/// so a failed node in a long build says which artifact broke and why.
public enum MediaError: Error, CustomStringConvertible {
    /// An FFmpeg call returned a negative error code.
    case ffmpeg(file: String, operation: String, code: Int32)
    /// A codec, muxer or demuxer this build of FFmpeg does not provide.
    case unavailable(file: String, what: String)
    /// Arguments or input data that cannot be encoded as asked.
    case invalid(file: String, reason: String)
    /// Inputs that cannot be combined (e.g. album tracks encoded with different settings).
    case incompatible(file: String, reason: String)

    public var description: String {
        switch self {
        case .ffmpeg(let file, let operation, let code):
            return "\(file): \(operation) failed: \(ffmpegErrorString(code)) (\(code))"
        case .unavailable(let file, let what):
            return "\(file): \(what) is not available in this FFmpeg build"
        case .invalid(let file, let reason):
            return "\(file): \(reason)"
        case .incompatible(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
