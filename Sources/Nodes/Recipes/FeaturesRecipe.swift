import Graph

/// `features:<track>` — the audio analysed into one row per video frame (safetensors).
public struct FeaturesRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var features: FeaturesConfig
        var fps: Int
        var trim: TrimParams
        /// Rows, one per video frame, from the audio's decoded length: in the key because the
        /// length comes from the decoder (and from the header's claim before that was fixed),
        /// not from the file's bytes alone.
        var frames: Int
    }
    public static let kind = "features"
    public static var version: Int { FeatureExtractor.version }

    let track: TrackSpec
    let frames: Int
    public init(track: TrackSpec, frames: Int) {
        self.track = track
        self.frames = frames
    }

    public var id: NodeID { NodeID("features:\(track.id)") }
    public var params: Params { Params(features: track.config.features, fps: track.config.output.fps, trim: track.trim, frames: frames) }
    public var inputs: [NodeID] { [track.audioNode] }
    public var workUnits: Int { max(1, frames / 50) }

    public func make(_ context: BuildContext) throws -> String {
        let file = try AudioFile(path: context.path(of: track.audioNode))
        let span = try AudioSpan(file: file, trimStart: track.trimStart, trimEnd: track.trimEnd)
        let extractor = FeatureExtractor(config: track.config.features, fps: track.config.output.fps)
        let table = try extractor.extract(file: file, span: span) { done, total in context.reportProgress(done: done, total: total) }
        return try writeTemporary(table, context)
    }
}
