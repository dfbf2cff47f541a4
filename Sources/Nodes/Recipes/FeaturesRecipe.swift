import Graph

/// `features:<track>` — the audio analysed into one row per video frame (safetensors).
public struct FeaturesRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var features: FeaturesConfig
        var output: FrameRate
        var trim: TrimParams
        /// Rows, one per video frame, from the audio's decoded length: in the key because the
        /// length comes from the decoder (and from the header's claim before that was fixed),
        /// not from the file's bytes alone.
        var frames: Int
    }
    public static let kind = AlbumNode.Kind.features.rawValue
    public static let version = 1
    public static var components: [CodeVersion] { [.audioDecoder, .featureExtractor] }

    public let id: NodeID
    public let params: Params
    let audio: NodeID

    public init(track: TrackSpec, frames: Int, audio: NodeID) {
        id = .features(track: track.id)
        params = Params(features: track.config.features, output: FrameRate(fps: track.config.output.fps), trim: track.trim, frames: frames)
        self.audio = audio
    }

    public var inputs: [NodeID] { [audio] }
    public var workUnits: Int { max(1, params.frames / 50) }

    public func make(_ context: BuildContext) throws -> String {
        let file = try AudioFile(path: context.path(of: audio))
        let span = try AudioSpan(file: file, trimStart: params.trim.start, trimEnd: params.trim.end)
        let extractor = FeatureExtractor(config: params.features, fps: params.output.fps)
        let table = try extractor.extract(file: file, span: span) { done, total in context.reportProgress(done: done, total: total) }
        return try writeTemporary(table, context)
    }
}
