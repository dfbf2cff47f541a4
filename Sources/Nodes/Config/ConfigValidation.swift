import Graph

/// The rules that tie keys together or reach past each key's own type: what the encoders, the
/// feature extractor and the run folder would otherwise refuse only once everything is rendered.
enum ConfigValidation {
    /// The longest file name most file systems allow (NAME_MAX), in bytes.
    static let maxFileName = 255

    /// Every problem of one track's resolved values, each at the key that causes it; keys left
    /// at their defaults have no place in a file, so they point at `track`.
    static func problems(_ values: [String: LocatedValue], _ config: TrackConfig, track: SourceLocation) -> [ConfigError] {
        func at(_ key: String) -> SourceLocation { values[key]?.location ?? track }
        func isSet(_ key: String) -> Bool { values[key] != nil }
        var found: [ConfigError] = []

        let output = config.output, encoder = config.encoder
        if let problem = EncoderLimits.sizeProblem(width: output.width, height: output.height, pixelFormat: encoder.pixelFormat) {
            let key = output.width % 2 != 0 ? "output.width" : "output.height"
            found.append(ConfigError(at(key), "\(key): \(problem)"))
        }
        if case .failure(let mismatch) = EncoderLimits.x264Profile(encoder.profile, pixelFormat: encoder.pixelFormat, crf: encoder.crf) {
            // The profile is what x264 refuses; the other key is named with its place so the
            // two can be reconciled wherever they were set.
            let cause = encoder.pixelFormat == "yuv444p" ? "encoder.pixel_format" : "encoder.crf"
            let key = isSet("encoder.profile") ? "encoder.profile" : cause
            let other = key == cause ? "encoder.profile" : cause
            let otherPlace = isSet(other) ? " (\(other) set at \(at(other)))" : ""
            found.append(ConfigError(at(key), "\(key): \(mismatch)\(otherPlace)"))
        }
        if EncoderLimits.audioBitrate(encoder.audioBitrate) == nil {
            found.append(ConfigError(at("encoder.audio_bitrate"),
                                     "encoder.audio_bitrate: expected \(EncoderLimits.audioBitrateExpectation), got '\(encoder.audioBitrate)'"))
        }
        if let (name, problem) = FeatureExtractor.configProblem(config.features) {
            found.append(ConfigError(at("features." + name), "features.\(name): \(problem)"))
        }
        if config.generator.kind == "conv" && config.generator.style == nil {
            found.append(ConfigError(at("generator.kind"), "generator.kind: conv needs generator.style (a safetensors file, see ConvGenerator)"))
        }
        return found
    }

    /// A track id names files in the run folder and in the cache, so it must not take a name the
    /// album uses, nor make a name longer than the file system allows.
    static func checkTrackID(_ id: String, at location: SourceLocation) throws {
        let published = RunRecord.fileNames(ofTrack: id)
        if let clash = published.first(where: RunRecord.albumFileNames.contains) {
            throw ConfigError(location, "track id '\(id)' is reserved: its output \(clash) would overwrite the album's")
        }
        let longest = (published + cacheFileNames(ofTrack: id)).max { $0.utf8.count < $1.utf8.count } ?? id
        guard longest.utf8.count <= maxFileName else {
            let limit = id.utf8.count - (longest.utf8.count - maxFileName)
            throw ConfigError(location, "track id is \(id.utf8.count) characters long; at most \(limit) fit the file system (\(longest.prefix(12))…\(longest.suffix(16)) would be \(longest.utf8.count) bytes, the limit is \(maxFileName))")
        }
    }

    /// The cache keeps one trace per node, named after the node id (`traces/<node id>.json`); a
    /// track's longest node ids are its previews' and its shards' (numbers of up to 7 digits).
    static func cacheFileNames(ofTrack id: String) -> [String] {
        let nodes = PreviewPart.allCases.map { NodeID.preview(track: id, part: $0) } + [.frames(track: id, shard: 9_999_999), .trajectory(track: id)]
        return nodes.map { $0.raw + ".json" }
    }
}
