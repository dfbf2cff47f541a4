import Graph

/// `track:<track>` — shards decoded in order, upscaled, post-processed and encoded with the
/// track's audio into an MP4 (H.264 + AAC). Changing post-effects or the encoder re-runs only this.
public struct TrackRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var output: OutputConfig
        var look: LookConfig
        var postfx: PostFXConfig
        var encoder: EncoderConfig
        var trim: TrimParams
        var title: String
        var album: String
        var artist: String?
        var number: Int
    }
    public static let kind = "track"
    /// 2: x264 runs without AVX-512 (see `X264Capabilities`), so tracks made before on an
    /// AVX-512 machine may differ from what this code makes for the same key.
    public static var version: Int { 2 + PostFX.version * 100 }

    let track: TrackSpec
    let album: Project
    let frames: Int
    let shards: [NodeID]
    public init(track: TrackSpec, album: Project, frames: Int, shards: [NodeID]) {
        self.track = track
        self.album = album
        self.frames = frames
        self.shards = shards
    }

    var trajectoryNode: NodeID { NodeID("trajectory:\(track.id)") }
    public var id: NodeID { NodeID("track:\(track.id)") }
    public var params: Params {
        Params(output: track.config.output, look: track.config.look, postfx: track.config.postfx, encoder: track.config.encoder, trim: track.trim,
               title: track.title, album: album.title, artist: album.artist, number: track.number)
    }
    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    var paletteSource: PaletteSource { PaletteSource(look: track.config.look) }
    public var inputs: [NodeID] { shards + [track.audioNode, trajectoryNode] + paletteSource.nodes }
    public var workUnits: Int { frames * max(1, track.config.output.width * track.config.output.height / 100_000) }

    public func make(_ context: BuildContext) throws -> String {
        let config = track.config
        let out = config.output
        let trajectory = try Safetensors.read(path: context.path(of: trajectoryNode))
        let audio = try AudioFile(path: context.path(of: track.audioNode))
        let span = try AudioSpan(file: audio, trimStart: track.trimStart, trimEnd: track.trimEnd)
        try audio.seek(toFrame: span.start)
        var remaining = span.count
        let input = AudioInput(sampleRate: audio.sampleRate, channels: audio.channels, totalFrames: span.count) { n in
            let take = min(n, remaining)
            guard take > 0 else { return [] }
            let block = try audio.readInterleaved(frames: take)
            remaining -= block.count / audio.channels
            return block
        }
        var metadata = ["title": track.title, "album": album.title, "track": "\(track.number)/\(album.tracks.count)"]
        if let artist = album.artist { metadata["artist"] = artist }
        let path = context.temporaryPath(suffix: ".mp4")
        let encoder = try TrackEncoder(
            path: path,
            video: VideoSettings(output: out, encoder: config.encoder),
            audio: input, audioBitrate: config.encoder.audioBitrate, metadata: metadata)
        var finisher = try FrameFinisher(config: config, palette: try paletteSource.palette { context.path(of: $0) })
        var frame = 0
        for shard in shards {
            let reader = try ShardReader(path: context.path(of: shard))
            while let rendered = try reader.next() {
                try context.checkCancellation()
                guard frame < frames else { break }
                let image = try finisher.finish(rendered, frame: frame, curves: FrameCurves(trajectory: trajectory, frame: frame))
                try encoder.encode(image)
                frame += 1
                context.reportProgress(done: frame, total: frames)
            }
        }
        guard frame == frames else {
            throw GraphError.nodeFailed(id, message: "shards hold \(frame) frames, expected \(frames)")
        }
        try encoder.finish()
        return path
    }
}
