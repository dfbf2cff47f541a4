import Graph

/// `album` — the tracks' video streams concatenated gaplessly (no re-encode), the album audio
/// encoded once from the tracks' source PCM (no AAC priming gaps between tracks), one chapter
/// per track.
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
    }
    public static let kind = "album"
    public static let version = 1

    let project: Project
    let frames: [String: Int]
    public init(project: Project, frames: [String: Int]) {
        self.project = project
        self.frames = frames
    }

    public var id: NodeID { "album" }
    var fps: Int { project.tracks[0].config.output.fps }
    public var params: Params {
        Params(title: project.title, artist: project.artist, cut: project.cut, fps: fps,
               audioBitrate: project.tracks[0].config.encoder.audioBitrate,
               tracks: project.tracks.map { TrackPart(id: $0.id, title: $0.title, frames: frames[$0.id] ?? 0, trim: $0.trim) })
    }
    /// Copied into the run folder after the build.
    public var isDeliverable: Bool { true }
    public var inputs: [NodeID] { project.tracks.map { NodeID("track:\($0.id)") } + project.tracks.map(\.audioNode) }
    public var workUnits: Int { frames.values.reduce(0, +) / 20 }

    public func make(_ context: BuildContext) throws -> String {
        var chapters: [Chapter] = []
        var time = 0.0
        for track in project.tracks {
            let duration = Double(frames[track.id] ?? 0) / Double(fps)
            chapters.append(Chapter(title: track.title, start: time, end: time + duration))
            time += duration
        }
        let audio = try ConcatenatedAudio(tracks: project.tracks, paths: project.tracks.map { context.path(of: $0.audioNode) })
        var metadata = ["title": project.title, "album": project.title]
        if let artist = project.artist { metadata["artist"] = artist }
        let path = context.temporaryPath(suffix: ".mp4")
        try AlbumMuxer.mux(
            trackVideos: project.tracks.map { context.path(of: NodeID("track:\($0.id)")) },
            chapters: project.cut.chapters ? chapters : [],
            audio: audio.input, audioBitrate: params.audioBitrate, metadata: metadata, output: path)
        return path
    }
}

/// The trimmed source audio of several tracks played one after the other, as one stream.
struct ConcatenatedAudio {
    let input: AudioInput

    init(tracks: [TrackSpec], paths: [String]) throws {
        let files = try paths.map { try AudioFile(path: $0) }
        let spans = try zip(files, tracks).map { try AudioSpan(file: $0, trimStart: $1.trimStart, trimEnd: $1.trimEnd) }
        let rate = files[0].sampleRate, channels = files[0].channels
        for (file, track) in zip(files, tracks) where file.sampleRate != rate || file.channels != channels {
            throw AudioError.unreadable(file: track.audio, reason: "album audio needs one format: \(file.sampleRate) Hz × \(file.channels) ch differs from the first track's \(rate) Hz × \(channels) ch")
        }
        var index = 0
        var remaining = spans[0].count
        try files[0].seek(toFrame: spans[0].start)
        input = AudioInput(sampleRate: rate, channels: channels, totalFrames: spans.map(\.count).reduce(0, +)) { n in
            while index < files.count {
                if remaining > 0 {
                    let block = try files[index].readInterleaved(frames: min(n, remaining))
                    if !block.isEmpty {
                        remaining -= block.count / channels
                        return block
                    }
                }
                index += 1
                guard index < files.count else { break }
                remaining = spans[index].count
                try files[index].seek(toFrame: spans[index].start)
            }
            return []
        }
    }
}
