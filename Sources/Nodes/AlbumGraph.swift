import Graph

/// The album as a build graph: per track features → trajectory → rows slices → frame shards →
/// track, and all tracks → album. Registers every node kind of the domain and wires each node's
/// inputs: a recipe gets the ids of what it reads from here and builds none itself.
public struct AlbumGraph {
    /// The project, its tracks as the graph read them (with how their audio is decoded).
    public private(set) var project: Project
    public private(set) var graph = BuildGraph()
    /// Video frames per track.
    public private(set) var frames: [String: Int] = [:]
    public private(set) var shards: [String: [NodeID]] = [:]
    /// With `--trim`: each track's clip of that stretch (seconds into its video), by track id.
    public private(set) var clips: [String: NodeID] = [:]
    public let trim: ClosedRange<Double>?
    /// Why there is no album cut (the first track and key it cannot join), or nil.
    public private(set) var albumProblem: String?
    /// Each track's source audio format, in album order.
    private var audioFormats: [AlbumCompatibility.AudioFormat] = []

    public init(project: Project, trim: ClosedRange<Double>? = nil) throws {
        self.project = project
        self.trim = trim
        for style in project.styles {
            graph.add(StyleRecipe(settings: style, reference: .file(style.reference)))
        }
        self.project.tracks = try project.tracks.map { try addTrack($0) }
        albumProblem = AlbumCompatibility.problem(tracks: project.tracks, audio: audioFormats,
                                                  crossfade: project.cut.crossfade > 0 && project.tracks.count > 1)
        if albumProblem == nil {
            graph.add(AlbumRecipe(project: self.project, frames: frames,
                                  videos: project.tracks.map { .track($0.id) }, audio: project.tracks.map { .file($0.audio) }))
        }
    }

    /// A track's nodes: features, trajectory, a rows slice and a frame shard per (at most)
    /// `shards.frames` frames (`ShardLayout`), the video and its previews. Returns the track with its audio's decoding noted.
    private mutating func addTrack(_ spec: TrackSpec) throws -> TrackSpec {
        let audio = NodeID.file(spec.audio)
        let file = try AudioFile(path: sourcePath(spec.audio))
        var track = spec
        track.audioDecoder = file.decoderTag
        let span = try AudioSpan(file: file, trimStart: track.trimStart, trimEnd: track.trimEnd)
        audioFormats.append(.init(file: track.audio, sampleRate: file.sampleRate, channels: file.channels))
        let config = track.config
        let count = FrameTiming(sampleRate: file.sampleRate, fps: config.output.fps).frameCount(samples: span.count)
        frames[track.id] = count
        let features = NodeID.features(track: track.id), trajectory = NodeID.trajectory(track: track.id)
        graph.add(FeaturesRecipe(track: track, frames: count, audio: audio))
        graph.add(TrajectoryRecipe(track: track, frames: count, features: features,
                                   anchors: config.controller.anchors.map { .file($0) }))
        let perShard = config.shards.frames
        let generatorFiles = GeneratorSources(config: config.generator).nodes
        var ids: [NodeID] = []
        for (k, range) in ShardLayout(frames: count, perShard: perShard).ranges.enumerated() {
            let rows = NodeID.rows(track: track.id, shard: k)
            graph.add(RowsRecipe(trackID: track.id, shard: k, range: range, trajectory: trajectory))
            graph.add(FramesRecipe(track: track, shard: k, range: range, rows: rows, generatorFiles: generatorFiles))
            ids.append(.frames(track: track.id, shard: k))
        }
        shards[track.id] = ids
        let paletteImage = PaletteSource(look: config.look).imageNode
        graph.add(TrackRecipe(track: track, album: project, frames: count, shards: ids,
                              audio: audio, trajectory: trajectory, paletteImage: paletteImage))
        if let trim {
            let fps = Double(config.output.fps)
            let first = Int((trim.lowerBound * fps).rounded()), end = min(count, Int((trim.upperBound * fps).rounded()))
            if first < count, end > first {
                let clip = ClipRecipe(TrackRecipe(track: track, album: project, frames: count, shards: ids, audio: audio,
                                                  trajectory: trajectory, paletteImage: paletteImage, window: first..<end))
                graph.add(clip)
                clips[track.id] = clip.id
            }
        }
        for part in PreviewPart.allCases {
            graph.add(PreviewRecipe(trackID: track.id, part: part, frames: count, fps: config.output.fps, perShard: perShard,
                                    look: config.look, features: features, shards: ids, trajectory: trajectory, paletteImage: paletteImage))
        }
        return track
    }

    func sourcePath(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : project.root + "/" + relative
    }

    /// Frames the generator rendered in a build: those of the shards it built.
    public func framesRendered(in result: BuildResult) -> Int {
        result.nodes.filter { $0.status == .built }.compactMap { frameCount(of: $0.id) }.reduce(0, +)
    }

    /// The frames a shard node renders (nil for other nodes).
    public func frameCount(of id: NodeID) -> Int? {
        (graph.recipes[id] as? FramesRecipe)?.params.frames
    }

    /// The poster, contact sheet and animation nodes of a track.
    public func previews(of trackID: String) -> [NodeID] {
        PreviewPart.allCases.map { .preview(track: trackID, part: $0) }
    }

    /// Expands a command-line target: `album` (the cut and every track's previews, which the run
    /// gallery shows), `track:<id>`, `features:<id>`, `trajectory:<id>`, `frames:<id>` (all
    /// shards), `frames:<id>:<k>`, `preview:<id>` (poster, sheet and animation).
    public func resolve(_ target: String) throws -> [NodeID] {
        if let trim { return try clipTargets(of: target, trim: trim) }
        let id = NodeID(target)
        if id == .album {
            guard graph.recipes[.album] != nil else { throw AlbumGraphError.noAlbumCut(albumProblem ?? "album: no album cut") }
            return [.album] + project.tracks.flatMap { previews(of: $0.id) }
        }
        // Targets that name a group of nodes: a track's previews, all its shards, a shard by number.
        let parts = target.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, parts[0] == AlbumNode.Kind.preview.rawValue, shards[parts[1]] != nil { return previews(of: parts[1]) }
        if parts.count == 2, parts[0] == AlbumNode.Kind.frames.rawValue, let ids = shards[parts[1]] { return ids }
        if parts.count == 3, parts[0] == AlbumNode.Kind.frames.rawValue, let k = Int(parts[2]) {
            return try [known(.frames(track: parts[1], shard: k))]
        }
        return try [known(id)]
    }

    /// With `--trim`, a track or the album means the clips of the tracks it holds.
    private func clipTargets(of target: String, trim: ClosedRange<Double>) throws -> [NodeID] {
        let tracks: [String]
        switch NodeID(target).albumNode {
        case .album?: tracks = project.tracks.map(\.id)
        case .track(let id)?: tracks = [id]
        default: throw AlbumGraphError.notClippable(target)
        }
        let found = tracks.compactMap { clips[$0] }
        guard !found.isEmpty else {
            throw tracks.count == 1 && shards[tracks[0]] == nil ? GraphError.unknownNode(NodeID(target), suggestion: nil)
                : AlbumGraphError.trimOutside(trim)
        }
        return found
    }

    private func known(_ id: NodeID) throws -> NodeID {
        guard graph.recipes[id] == nil else { return id }
        throw GraphError.unknownNode(id, suggestion: bareName(id) ?? graph.suggestion(for: id))
    }

    /// A track id or a style name given without its kind: the node the user most likely meant.
    private func bareName(_ id: NodeID) -> NodeID? {
        guard !id.raw.contains(":") else { return nil }
        if shards[id.raw] != nil { return .track(id.raw) }
        if project.styles.contains(where: { $0.name == id.raw }) { return .style(id.raw) }
        return nil
    }
}

/// A target the album cannot make as configured.
public enum AlbumGraphError: Error, Equatable, CustomStringConvertible {
    /// The reason, naming the track and the key the cut cannot join.
    case noAlbumCut(String)
    case notClippable(String)
    case trimOutside(ClosedRange<Double>)

    public var description: String {
        switch self {
        case .noAlbumCut(let reason): return reason
        case .notClippable(let target): return "--trim: \(target) is not a track or the album (clips are cut from track videos)"
        case .trimOutside(let range): return "--trim: \(range.lowerBound)–\(range.upperBound) s is past the end of every track it names"
        }
    }
}
