/// What libx264 and the AAC encoder refuse, as plain rules: the config loader checks them before
/// anything is rendered, and the encoders check them again for callers that skip the loader.
public enum EncoderLimits {
    /// Bits per second an `encoder.audio_bitrate` may ask for. FFmpeg's AAC encoder clamps
    /// anything above what stereo AAC-LC can carry, so larger values would only mislead; the
    /// bound also keeps the conversion to an integer from trapping.
    public static let audioBitrates = 8_000...1_000_000

    /// Why x264 would refuse this frame size, or nil. 4:2:0 halves the chroma planes in both
    /// directions, so both sides must be even; 4:4:4 takes any size.
    public static func sizeProblem(width: Int, height: Int, pixelFormat: String) -> String? {
        guard width > 0, height > 0 else { return "video size \(width)x\(height) must be positive" }
        guard pixelFormat != "yuv420p" || (width % 2 == 0 && height % 2 == 0) else {
            return "video size \(width)x\(height) must be even for yuv420p (4:2:0 chroma); use yuv444p for odd sizes"
        }
        return nil
    }

    /// The x264 profile to ask for: 4:4:4 and lossless (CRF 0) exist only in High 4:4:4
    /// Predictive, which `high` (a ceiling) stands for; baseline and main cannot carry them.
    public static func x264Profile(_ profile: String?, pixelFormat: String, crf: Int) -> Result<String?, ProfileMismatch> {
        let needsHigh444 = pixelFormat == "yuv444p" ? "yuv444p" : crf == 0 ? "lossless (crf 0)" : nil
        guard let needsHigh444, let profile else { return .success(profile) }
        guard profile == "high" else { return .failure(ProfileMismatch(profile: profile, feature: needsHigh444)) }
        return .success("high444")
    }

    public struct ProfileMismatch: Error, CustomStringConvertible {
        public var profile: String
        /// "yuv444p" or "lossless (crf 0)".
        public var feature: String
        public var description: String { "H.264 profile \(profile) cannot carry \(feature) (use profile high)" }
    }

    /// "192k", "1.5M" or "128000" as bits per second, or nil when unparsable or out of range.
    public static func audioBitrate(_ text: String) -> Int? {
        var number = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var scale = 1.0
        switch number.last {
        case "k": scale = 1_000; number = number.dropLast()
        case "m": scale = 1_000_000; number = number.dropLast()
        default: break
        }
        // Decimal digits only: Double() would also take "nan", "inf", "0x1p3" and "1e9".
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), (value * scale).isFinite else { return nil }
        let bits = (value * scale).rounded()
        guard bits >= Double(audioBitrates.lowerBound), bits <= Double(audioBitrates.upperBound) else { return nil }
        return Int(bits)
    }

    public static var audioBitrateExpectation: String { "a bitrate such as 192k (8k to 1M)" }
}
