import Graph

/// `album` — the tracks' video streams concatenated gaplessly (no re-encode), the album audio
/// encoded once from the tracks' source PCM (no AAC priming gaps between tracks), one chapter
/// per track. With `album.cut.crossfade` > 0 the joins are blended (`CrossfadeCut`), which
/// re-encodes the video once with the first track's encoder settings.
public struct AlbumRecipe: Recipe {
    public struct TrackPart: Codable, Equatable, Sendable {
        var id: String
        var title: String
        var frames: Int
        var trim: TrimParams
    }
    public struct Params: Codable, Equatable, Sendable {
        var title: String
        var artist: String?
        var cut: CutConfig
        var fps: Int
        var audioBitrate: String
        var tracks: [TrackPart]
        /// Only with a crossfade (the video is re-encoded then); absent from the key otherwise.
        var encoder: EncoderConfig?
        var output: OutputConfig?
    }
    public static let kind = "album"
    /// 2: a crossfade's re-encode runs x264 without AVX-512 (see `TrackRecipe.version`).
    public static let version = 2

    let project: Project
    let frames: [String: Int]
    public init(project: Project, frames: [String: Int]) {
        self.project = project
        self.frames = frames
    }

    public var id: NodeID { "album" }
    var fps: Int { project.tracks[0].config.output.fps }
    var crossfading: Bool { project.cut.crossfade > 0 && project.tracks.count > 1 }
    /// Frames blended at each join.
    var overlapFrames: Int { crossfading ? max(1, Int((project.cut.crossfade * Double(fps)).rounded())) : 0 }
    public var params: Params {
        Params(title: project.title, artist: project.artist, cut: project.cut, fps: fps,
               audioBitrate: project.tracks[0].config.encoder.audioBitrate,
               tracks: project.tracks.map { TrackPart(id: $0.id, title: $0.title, frames: frames[$0.id] ?? 0, trim: $0.trim) },
               encoder: crossfading ? project.tracks[0].config.encoder : nil,
               output: crossfading ? project.tracks[0].config.output : nil)
    }
    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] { project.tracks.map { NodeID("track:\($0.id)") } + project.tracks.map(\.audioNode) }
    public var workUnits: Int { frames.values.reduce(0, +) / 20 }

    public func make(_ context: BuildContext) throws -> String {
        let overlap = overlapFrames
        let lengths = project.tracks.map { frames[$0.id] ?? 0 }
        for (i, (track, length)) in zip(project.tracks, lengths).enumerated() {
            let joins = (i > 0 ? 1 : 0) + (i < lengths.count - 1 ? 1 : 0)
            guard length > joins * overlap else {
                throw MediaError.invalid(file: project.buildfile, reason: "album.cut.crossfade: \(project.cut.crossfade) s is too long for track '\(track.id)' (\(Double(length) / Double(fps)) s, \(joins) join(s))")
            }
        }
        var chapters: [Chapter] = []
        var time = 0.0
        for (track, length) in zip(project.tracks, lengths) {
            let duration = Double(length) / Double(fps)
            chapters.append(Chapter(title: track.title, start: time, end: time + duration))
            time += duration - Double(overlap) / Double(fps)
        }
        // A chapter ends where the next one's fade begins.
        for i in chapters.indices.dropLast() { chapters[i].end = chapters[i + 1].start }
        var metadata = ["title": project.title, "album": project.title]
        if let artist = project.artist { metadata["artist"] = artist }
        let path = context.temporaryPath(suffix: ".mp4")
        let videos = project.tracks.map { context.path(of: NodeID("track:\($0.id)")) }
        let audioPaths = project.tracks.map { context.path(of: $0.audioNode) }
        let (files, spans) = try AlbumAudio.open(tracks: project.tracks, paths: audioPaths)
        guard crossfading, let encoder = params.encoder, let out = params.output else {
            let audio = try CrossfadeCut.audio(files: files, spans: spans, overlap: 0)
            try AlbumMuxer.mux(trackVideos: videos, chapters: project.cut.chapters ? chapters : [],
                               audio: audio, audioBitrate: params.audioBitrate, metadata: metadata, output: path)
            return path
        }
        let overlapSamples = Int((Double(overlap) * Double(files[0].sampleRate) / Double(fps)).rounded())
        try CrossfadeCut.encode(
            videos: videos, frames: lengths, overlap: overlap,
            audio: try CrossfadeCut.audio(files: files, spans: spans, overlap: overlapSamples),
            video: VideoSettings(output: out, encoder: encoder),
            audioBitrate: encoder.audioBitrate, metadata: metadata, chapters: project.cut.chapters ? chapters : [],
            output: path, checkCancellation: context.checkCancellation)
        return path
    }
}

/// The album's audio sources: each track's file and trimmed span, in one format.
enum AlbumAudio {
    /// The tracks' audio files and trimmed spans, checked to share one sample rate and layout.
    static func open(tracks: [TrackSpec], paths: [String]) throws -> ([AudioFile], [AudioSpan]) {
        let files = try paths.map { try AudioFile(path: $0) }
        let spans = try zip(files, tracks).map { try AudioSpan(file: $0, trimStart: $1.trimStart, trimEnd: $1.trimEnd) }
        let rate = files[0].sampleRate, channels = files[0].channels
        for (file, track) in zip(files, tracks) where file.sampleRate != rate || file.channels != channels {
            throw AudioError.unreadable(file: track.audio, reason: "album audio needs one format: \(file.sampleRate) Hz × \(file.channels) ch differs from the first track's \(rate) Hz × \(channels) ch")
        }
        return (files, spans)
    }
}
