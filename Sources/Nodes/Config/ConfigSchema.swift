import Graph

/// The type of one configuration key.
public enum ValueType: Equatable, Sendable {
    case int(ClosedRange<Int>)
    case float(ClosedRange<Double>)
    case bool
    case string
    case choice([String])
    /// A file path relative to the Buildfile, or null.
    case optionalPath
    /// A string or null.
    case optionalString

    public var expectation: String {
        switch self {
        case .int(let r): return "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .float(let r): return "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: return "true or false"
        case .string: return "a string"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        case .optionalPath: return "a path or null"
        case .optionalString: return "a string or null"
        }
    }
}

/// Every per-track configuration key, its type and its default. The defaults are those of the
/// typed sections in `Sections.swift`; a test checks the two agree.
public enum ConfigSchema {
    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]
    public static let toneCurves = ["linear", "filmlog", "punch", "pastel"]

    public static let types: [String: ValueType] = [
        "output.width": .int(16...7680),
        "output.height": .int(16...4320),
        "output.fps": .int(1...240),
        "features.n_fft": .int(256...16384),
        "features.mel_bands": .int(4...256),
        "controller.latent_dim": .int(1...512),
        "controller.wander_seed": .int(0...Int(Int32.max)),
        "controller.pulse": .float(0...10),
        "controller.motion": .float(0...10),
        "controller.smoothing": .float(0...10),
        "controller.anchors": .optionalPath,
        "generator.kind": .choice(["cppn", "conv"]),
        "generator.hidden": .int(1...1024),
        "generator.layers": .int(1...32),
        "generator.seed": .int(0...Int(Int32.max)),
        "generator.weights": .optionalPath,
        "generator.style": .optionalPath,
        "generator.render_scale": .float(0.05...2),
        "look.palette": .optionalString,
        "look.palette_from": .optionalPath,
        "look.palette_colors": .int(2...16),
        "look.palette_motion": .float(0...4),
        "postfx.tone_curve": .choice(toneCurves),
        "postfx.vignette": .float(0...1),
        "postfx.chroma_shift": .float(0...10),
        "postfx.trails": .bool,
        "postfx.grain": .float(0...1),
        "postfx.flash": .float(0...1),
        "encoder.crf": .int(0...51),
        "encoder.preset": .choice(x264Presets),
        "encoder.audio_bitrate": .string,
        "encoder.threads": .int(1...64),
        "encoder.profile": .choice(["baseline", "main", "high"]),
        "encoder.keyframe_interval": .int(1...10_000),
        "encoder.pixel_format": .choice(["yuv420p", "yuv444p"]),
        "shards.frames": .int(1...100_000),
    ]

    public static var sections: Set<String> { Set(types.keys.map { String($0.prefix { $0 != "." }) }) }

    /// "did you mean …?" for an unknown key: the closest known key, if any is close.
    public static func suggestion(for key: String, among candidates: some Collection<String> = types.keys) -> String? {
        let best = candidates.map { ($0, EditDistance.between($0, key)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let (candidate, distance) = best, distance <= max(2, key.count / 3) else { return nil }
        return candidate
    }

    /// Checks a value against a key's type; ints are accepted where numbers are expected.
    public static func check(_ key: String, _ located: LocatedValue) throws -> ConfigValue {
        guard let type = types[key] else {
            let hint = suggestion(for: key).map { " (did you mean \($0)?)" } ?? ""
            throw ConfigError(located.location, "unknown key \(key)\(hint)")
        }
        let value = located.value
        func fail() -> ConfigError {
            ConfigError(located.location, "\(key): expected \(type.expectation), got '\(value)'")
        }
        switch (type, value) {
        case (.int(let r), .int(let v)):
            guard r.contains(v) else { throw fail() }
            return value
        case (.float(let r), .int(let v)):
            guard r.contains(Double(v)) else { throw fail() }
            return .float(Double(v))
        case (.float(let r), .float(let v)):
            guard v.isFinite, r.contains(v) else { throw fail() }
            return value
        case (.bool, .bool): return value
        case (.string, .string(let s)):
            guard !s.isEmpty else { throw fail() }
            return value
        case (.string, .int(let v)): return .string(String(v))
        case (.choice(let options), .string(let s)):
            guard options.contains(s) else {
                let hint = suggestion(for: s, among: options).map { " (did you mean \($0)?)" } ?? ""
                throw ConfigError(located.location, "\(key): expected \(type.expectation), got '\(s)'\(hint)")
            }
            return value
        case (.optionalPath, .string), (.optionalPath, .null), (.optionalString, .string), (.optionalString, .null): return value
        default: throw fail()
        }
    }
}
