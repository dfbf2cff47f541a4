import Graph

/// `track:<track>` — shards decoded in order, upscaled, post-processed and encoded with the
/// track's audio into an MP4 (H.264 + AAC). Changing post-effects or the encoder re-runs only this.
public struct TrackRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var output: OutputConfig
        /// The palette, if the look has one (`LookConfig.effective`).
        var look: LookConfig?
        var postfx: PostFXConfig
        var encoder: EncoderConfig
        /// Seeds the grain.
        var controller: GrainSeed
        var trim: TrimParams
        var frames: Int
        /// Tags: title, album, artist, and the track's number of the album's count ("2/5").
        var title: String
        var album: String
        var artist: String?
        var number: Int
        var trackCount: Int
    }
    public static let kind = AlbumNode.Kind.track.rawValue
    public static let version = 1
    public static var components: [CodeVersion] {
        [.shardCodec, .scaler, .palette, .imageReader, .postfx, .audioDecoder, .encoder]
    }

    public let id: NodeID
    public let params: Params
    let shards: [NodeID]
    let audio: NodeID
    let trajectory: NodeID
    /// The image a palette is taken from (`look.palette_from`), if any.
    let paletteImage: NodeID?

    public init(track: TrackSpec, album: Project, frames: Int, shards: [NodeID], audio: NodeID, trajectory: NodeID, paletteImage: NodeID?) {
        let config = track.config
        id = .track(track.id)
        params = Params(output: config.output, look: config.look.effective, postfx: config.postfx, encoder: config.encoder,
                        controller: GrainSeed(wanderSeed: config.controller.wanderSeed), trim: track.trim, frames: frames,
                        title: track.title, album: album.title, artist: album.artist, number: track.number, trackCount: album.tracks.count)
        self.shards = shards
        self.audio = audio
        self.trajectory = trajectory
        self.paletteImage = paletteImage
    }

    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] { shards + [audio, trajectory] + (paletteImage.map { [$0] } ?? []) }
    public var workUnits: Int { params.frames * max(1, params.output.width * params.output.height / 100_000) }

    public func make(_ context: BuildContext) throws -> String {
        let out = params.output
        let trajectoryTable = try Safetensors.read(path: context.path(of: trajectory))
        let audioFile = try AudioFile(path: context.path(of: audio))
        let span = try AudioSpan(file: audioFile, trimStart: params.trim.start, trimEnd: params.trim.end)
        try audioFile.seek(toFrame: span.start)
        var remaining = span.count
        let input = AudioInput(sampleRate: audioFile.sampleRate, channels: audioFile.channels, totalFrames: span.count) { n in
            let take = min(n, remaining)
            guard take > 0 else { return [] }
            let block = try audioFile.readInterleaved(frames: take)
            remaining -= block.count / audioFile.channels
            return block
        }
        var metadata = ["title": params.title, "album": params.album, "track": "\(params.number)/\(params.trackCount)"]
        if let artist = params.artist { metadata["artist"] = artist }
        let path = context.temporaryPath(suffix: ".mp4")
        let encoder = try TrackEncoder(
            path: path,
            video: VideoSettings(output: out, encoder: params.encoder),
            audio: input, audioBitrate: params.encoder.audioBitrate, metadata: metadata)
        let look = params.look ?? LookConfig()
        let palette = try PaletteSource(look: look).palette { context.path(of: $0) }
        var finisher = try FrameFinisher(output: out, postfx: params.postfx, look: look,
                                         grainSeed: params.controller.wanderSeed, palette: palette)
        var frame = 0
        for shard in shards {
            let reader = try ShardReader(path: context.path(of: shard))
            while let rendered = try reader.next() {
                try context.checkCancellation()
                guard frame < params.frames else { break }
                let image = try finisher.finish(rendered, frame: frame, curves: FrameCurves(trajectory: trajectoryTable, frame: frame))
                try encoder.encode(image)
                frame += 1
                context.reportProgress(done: frame, total: params.frames)
            }
        }
        guard frame == params.frames else {
            throw GraphError.nodeFailed(id, message: "shards hold \(frame) frames, expected \(params.frames)")
        }
        try encoder.finish()
        return path
    }
}
