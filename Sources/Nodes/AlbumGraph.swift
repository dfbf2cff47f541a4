import Graph

/// The album as a build graph: per track features → trajectory → rows slices → frame shards →
/// track, and all tracks → album. Registers every node kind of the domain.
public struct AlbumGraph {
    public let project: Project
    public private(set) var graph = BuildGraph()
    /// Video frames per track.
    public private(set) var frames: [String: Int] = [:]
    public private(set) var shards: [String: [NodeID]] = [:]

    public init(project: Project) throws {
        self.project = project
        for style in project.styles {
            graph.add(StyleRecipe(settings: style))
        }
        for track in project.tracks {
            let audio = try AudioFile(path: sourcePath(track.audio))
            let span = try AudioSpan(file: audio, trimStart: track.trimStart, trimEnd: track.trimEnd)
            let count = FrameTiming(sampleRate: audio.sampleRate, fps: track.config.output.fps).frameCount(samples: span.count)
            frames[track.id] = count
            graph.add(FeaturesRecipe(track: track, frames: count))
            graph.add(TrajectoryRecipe(track: track, frames: count))
            let perShard = track.config.shards.frames
            var ids: [NodeID] = []
            for (k, start) in stride(from: 0, to: count, by: perShard).enumerated() {
                let range = start..<min(start + perShard, count)
                graph.add(RowsRecipe(trackID: track.id, shard: k, range: range))
                let frames = FramesRecipe(track: track, shard: k, range: range)
                graph.add(frames)
                ids.append(frames.id)
            }
            shards[track.id] = ids
            graph.add(TrackRecipe(track: track, album: project, frames: count, shards: ids))
            for part in PreviewRecipe.Part.allCases {
                graph.add(PreviewRecipe(trackID: track.id, part: part, frames: count, fps: track.config.output.fps,
                                        perShard: perShard, shards: ids, look: track.config.look))
            }
        }
        let fpsValues = Set(project.tracks.map(\.config.output.fps))
        let sizes = Set(project.tracks.map { "\($0.config.output.width)x\($0.config.output.height)" })
        if fpsValues.count == 1 && sizes.count == 1 {
            graph.add(AlbumRecipe(project: project, frames: frames))
        }
    }

    func sourcePath(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : project.root + "/" + relative
    }

    /// The poster, contact sheet and animation nodes of a track.
    public func previews(of trackID: String) -> [NodeID] {
        PreviewRecipe.Part.allCases.map { NodeID("preview:\(trackID):\($0.rawValue)") }
    }

    /// Expands a command-line target: `album` (the cut and every track's previews, which the run
    /// gallery shows), `track:<id>`, `features:<id>`, `trajectory:<id>`, `frames:<id>` (all
    /// shards), `frames:<id>:<k>`, `preview:<id>` (poster, sheet and animation).
    public func resolve(_ target: String) throws -> [NodeID] {
        if target == "album" && graph.recipes["album"] == nil {
            throw GraphError.nodeFailed("album", message: "all tracks must share output.fps and output size to make an album cut")
        }
        if target == "album" { return ["album"] + project.tracks.flatMap { previews(of: $0.id) } }
        let parts = target.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, parts[0] == "preview", shards[parts[1]] != nil { return previews(of: parts[1]) }
        if parts.count == 2, parts[0] == "frames", let ids = shards[parts[1]] { return ids }
        if parts.count == 3, parts[0] == "frames", let k = Int(parts[2]) {
            return try [known(NodeID("frames:\(parts[1]):\(ShardNaming.number(k))"))]
        }
        return try [known(NodeID(target))]
    }

    private func known(_ id: NodeID) throws -> NodeID {
        guard graph.recipes[id] != nil else { throw GraphError.unknownNode(id, suggestion: graph.suggestion(for: id)) }
        return id
    }
}
