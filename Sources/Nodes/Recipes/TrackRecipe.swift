import Graph

/// `track:<track>` — shards decoded in order, upscaled, post-processed and encoded with the
/// track's audio into an MP4 (H.264 + AAC). Changing post-effects or the encoder re-runs only this.
/// `clip:<track>:<first>-<end>` (`--trim`) is the same recipe on a window of frames: it reads the
/// track's own shards (shared with a full render), so its frames are the full video's.
public struct TrackRecipe: Recipe {
    /// Frames [first, end) of the track, for a clip; `shardFrames` says which shards hold them.
    public struct FrameWindow: Codable, Equatable, Sendable {
        var first: Int
        var end: Int
        var shardFrames: Int
    }
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
        /// A clip's frames; nil for the whole track.
        var window: FrameWindow?
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

    /// `window`: a clip of frames [first, end) instead of the whole track.
    public init(track: TrackSpec, album: Project, frames: Int, shards: [NodeID], audio: NodeID, trajectory: NodeID, paletteImage: NodeID?,
                window: Range<Int>? = nil) {
        let config = track.config
        id = window.map { .clip(track: track.id, first: $0.lowerBound, end: $0.upperBound) } ?? .track(track.id)
        params = Params(output: config.output, look: config.look.effective, postfx: config.postfx, encoder: config.encoder,
                        controller: GrainSeed(wanderSeed: config.controller.wanderSeed), trim: track.trim, frames: frames,
                        title: track.title, album: album.title, artist: album.artist, number: track.number, trackCount: album.tracks.count,
                        window: window.map { FrameWindow(first: $0.lowerBound, end: $0.upperBound, shardFrames: config.shards.frames) })
        // A clip reads only the shards that hold its frames and the trail reaching into them.
        if let window, let history = try? FrameFinisher(config: config).history {
            let layout = ShardLayout(frames: frames, perShard: config.shards.frames)
            let firstShard = layout.shard(containing: max(0, window.lowerBound - history))
            let lastShard = layout.shard(containing: window.upperBound - 1)
            self.shards = Array(shards[min(firstShard, shards.count)..<min(lastShard + 1, shards.count)])
        } else {
            self.shards = shards
        }
        self.audio = audio
        self.trajectory = trajectory
        self.paletteImage = paletteImage
    }

    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] { shards + [audio, trajectory] + (paletteImage.map { [$0] } ?? []) }
    /// The frames this node encodes.
    var window: Range<Int> { params.window.map { $0.first..<$0.end } ?? 0..<params.frames }
    public var workUnits: Int { window.count * max(1, params.output.width * params.output.height / 100_000) }

    public func make(_ context: BuildContext) throws -> String {
        let out = params.output
        let trajectoryTable = try Safetensors.read(path: context.path(of: trajectory))
        let audioFile = try AudioFile(path: context.path(of: audio))
        let span = clipAudio(try AudioSpan(file: audioFile, trimStart: params.trim.start, trimEnd: params.trim.end), rate: audioFile.sampleRate)
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
        let window = self.window
        // The first shard read starts at a shard boundary; frames before the window only feed the trail.
        var frame = params.window.map {
            let layout = ShardLayout(frames: params.frames, perShard: $0.shardFrames)
            return layout.start(of: layout.shard(containing: max(0, $0.first - finisher.history)))
        } ?? 0
        for shard in shards {
            let reader = try ShardReader(path: context.path(of: shard))
            while let rendered = try reader.next() {
                try context.checkCancellation()
                guard frame < window.upperBound else { break }
                if frame >= window.lowerBound - finisher.history {
                    let image = try finisher.finish(rendered, frame: frame, curves: FrameCurves(trajectory: trajectoryTable, frame: frame))
                    if frame >= window.lowerBound {
                        try encoder.encode(image)
                        context.reportProgress(done: frame + 1 - window.lowerBound, total: window.count)
                    }
                }
                frame += 1
            }
        }
        guard frame == window.upperBound else {
            throw GraphError.nodeFailed(id, message: "shards hold frames up to \(frame), expected \(window.upperBound)")
        }
        try encoder.finish()
        return path
    }

    /// The track's audio, or for a clip the samples under its frames (frame i starts at
    /// i · rate / fps, as `FrameTiming` counts them).
    func clipAudio(_ span: AudioSpan, rate: Int) -> AudioSpan {
        guard let window = params.window else { return span }
        func sample(_ frame: Int) -> Int { min(span.end, span.start + Int((Double(frame) * Double(rate) / Double(params.output.fps)).rounded())) }
        var clipped = span
        clipped.start = sample(window.first)
        clipped.end = max(clipped.start + 1, sample(window.end))
        return clipped
    }
}
