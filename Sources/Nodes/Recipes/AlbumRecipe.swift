import Graph

/// `album` — the tracks' video streams concatenated gaplessly (no re-encode), the album audio
/// encoded once from the tracks' source PCM (no AAC priming gaps between tracks), one chapter
/// per track. With `album.cut.crossfade` > 0 the joins are blended (`CrossfadeCut`), which
/// re-encodes the video once with the first track's encoder settings.
public struct AlbumRecipe: Recipe {
    public struct TrackPart: Codable, Equatable, Sendable {
        var id: String
        var title: String
        /// The audio file, as the Buildfile names it (for messages; its content is an input).
        var audio: String
        var frames: Int
        var trim: TrimParams
    }
    /// The Buildfile's `album:` keys the cut reads.
    public struct AlbumReads: Codable, Equatable, Sendable {
        var title: String
        var artist: String?
        var cut: CutConfig
    }
    public struct Params: Codable, Equatable, Sendable {
        var album: AlbumReads
        /// The first track's: the audio bitrate, and with a crossfade the re-encode's settings
        /// (the tracks' videos change with them anyway, so holding them all re-cuts nothing extra).
        var output: OutputConfig
        var encoder: EncoderConfig
        var tracks: [TrackPart]
    }
    public static let kind = AlbumNode.Kind.album.rawValue
    public static let version = 2
    public static var components: [CodeVersion] { [.audioDecoder, .encoder] }

    public let id = NodeID.album
    public let params: Params
    let videos: [NodeID]
    let audio: [NodeID]

    /// `videos` and `audio`: each track's video node and audio file, in album order.
    public init(project: Project, frames: [String: Int], videos: [NodeID], audio: [NodeID]) {
        let first = project.tracks[0].config
        params = Params(album: AlbumReads(title: project.title, artist: project.artist, cut: project.cut),
                        output: first.output, encoder: first.encoder,
                        tracks: project.tracks.map { TrackPart(id: $0.id, title: $0.title, audio: $0.audio, frames: frames[$0.id] ?? 0, trim: $0.trim) })
        self.videos = videos
        self.audio = audio
    }

    var fps: Int { params.output.fps }
    var cut: CutConfig { params.album.cut }
    var crossfading: Bool { cut.crossfade > 0 && params.tracks.count > 1 }
    /// Frames blended at each join.
    var overlapFrames: Int { crossfading ? max(1, Int((cut.crossfade * Double(fps)).rounded())) : 0 }
    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] { videos + audio }
    public var workUnits: Int { params.tracks.map(\.frames).reduce(0, +) / 20 }

    public func make(_ context: BuildContext) throws -> String {
        let overlap = overlapFrames
        let tracks = params.tracks
        let lengths = tracks.map(\.frames)
        for (i, track) in tracks.enumerated() {
            let joins = (i > 0 ? 1 : 0) + (i < tracks.count - 1 ? 1 : 0)
            guard track.frames > joins * overlap else {
                throw GraphError.nodeFailed(id, message: "album.cut.crossfade: \(cut.crossfade) s is too long for track '\(track.id)' (\(Double(track.frames) / Double(fps)) s, \(joins) join(s))")
            }
        }
        var chapters: [Chapter] = []
        var time = 0.0
        for track in tracks {
            let duration = Double(track.frames) / Double(fps)
            chapters.append(Chapter(title: track.title, start: time, end: time + duration))
            time += duration - Double(overlap) / Double(fps)
        }
        // A chapter ends where the next one's fade begins.
        for i in chapters.indices.dropLast() { chapters[i].end = chapters[i + 1].start }
        var metadata = ["title": params.album.title, "album": params.album.title]
        if let artist = params.album.artist { metadata["artist"] = artist }
        let path = context.temporaryPath(suffix: ".mp4")
        let videoPaths = videos.map { context.path(of: $0) }
        let (files, spans) = try AlbumAudio.open(tracks: tracks, paths: audio.map { context.path(of: $0) })
        let encoder = params.encoder
        guard crossfading else {
            let audio = try CrossfadeCut.audio(files: files, spans: spans, overlap: 0)
            try AlbumMuxer.mux(trackVideos: videoPaths, chapters: cut.chapters ? chapters : [],
                               audio: audio, audioBitrate: encoder.audioBitrate, metadata: metadata, output: path)
            return path
        }
        let overlapSamples = Int((Double(overlap) * Double(files[0].sampleRate) / Double(fps)).rounded())
        try CrossfadeCut.encode(
            videos: videoPaths, frames: lengths, overlap: overlap,
            audio: try CrossfadeCut.audio(files: files, spans: spans, overlap: overlapSamples),
            video: VideoSettings(output: params.output, encoder: encoder),
            audioBitrate: encoder.audioBitrate, metadata: metadata, chapters: cut.chapters ? chapters : [],
            output: path, checkCancellation: context.checkCancellation)
        return path
    }
}

/// The album's audio sources: each track's file and trimmed span, in one format.
enum AlbumAudio {
    /// The tracks' audio files and trimmed spans, checked to share one sample rate and layout.
    static func open(tracks: [AlbumRecipe.TrackPart], paths: [String]) throws -> ([AudioFile], [AudioSpan]) {
        let files = try paths.map { try AudioFile(path: $0) }
        let spans = try zip(files, tracks).map { try AudioSpan(file: $0, trimStart: $1.trim.start, trimEnd: $1.trim.end) }
        let rate = files[0].sampleRate, channels = files[0].channels
        for (file, track) in zip(files, tracks) where file.sampleRate != rate || file.channels != channels {
            throw AudioError.unreadable(file: track.audio, reason: "album audio needs one format: \(file.sampleRate) Hz × \(file.channels) ch differs from the first track's \(rate) Hz × \(channels) ch")
        }
        return (files, spans)
    }
}
