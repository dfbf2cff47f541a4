import CFFmpeg

/// How a track's video stream is encoded (H.264 through libx264).
public struct VideoSettings: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var crf: Int
    public var preset: String
    /// x264 threads. Part of the output's identity (x264's bitstream depends on it), so it
    /// must come from the config, never from the machine; 0 ("auto") is refused.
    public var threads: Int
    public var profile: String?
    /// Maximum GOP length in frames; nil leaves x264's default (250).
    public var keyframeInterval: Int?
    /// "yuv420p" (plays everywhere) or "yuv444p" (full-resolution chroma, High 4:4:4 profile).
    public var pixelFormat: String

    public init(width: Int, height: Int, fps: Int, crf: Int, preset: String, threads: Int,
                profile: String? = nil, keyframeInterval: Int? = nil, pixelFormat: String = "yuv420p") {
        self.width = width
        self.height = height
        self.fps = fps
        self.crf = crf
        self.preset = preset
        self.threads = threads
        self.profile = profile
        self.keyframeInterval = keyframeInterval
        self.pixelFormat = pixelFormat
    }

    /// The settings a track's config asks for: the output size and rate, the encoder keys.
    public init(output: OutputConfig, encoder: EncoderConfig) {
        self.init(width: output.width, height: output.height, fps: output.fps, crf: encoder.crf, preset: encoder.preset,
                  threads: encoder.threads, profile: encoder.profile, keyframeInterval: encoder.keyframeInterval,
                  pixelFormat: encoder.pixelFormat)
    }

    /// The libavutil pixel format, or nil for one the encoder does not offer.
    var avPixelFormat: AVPixelFormat? {
        switch pixelFormat {
        case "yuv420p": return AV_PIX_FMT_YUV420P
        case "yuv444p": return AV_PIX_FMT_YUV444P
        default: return nil
        }
    }
}
