import Foundation
import Graph

/// A loaded Buildfile with its graph and its cache: what every command starts from.
public struct Workspace {
    public let project: Project
    public let album: AlbumGraph
    public let engine: Engine
    public var rendersDirectory: String { project.root + "/renders" }

    /// `trim`: seconds into each track's video to cut clips of (`--trim`).
    public init(buildfile: String, overrides: Overrides = Overrides(), trim: ClosedRange<Double>? = nil) throws {
        project = try BuildfileLoader.load(path: buildfile, overrides: overrides)
        let lengths = project.root + "/cache/audio-lengths.json"
        DecodedLengths.shared.load(from: lengths)
        album = try AlbumGraph(project: project, trim: trim)
        DecodedLengths.shared.save(to: lengths)
        engine = Engine(projectRoot: project.root, cacheDirectory: project.root + "/cache")
    }

    public func resolve(_ targets: [String]) throws -> [NodeID] {
        var seen = Set<NodeID>()
        return try (targets.isEmpty ? ["album"] : targets).flatMap { try album.resolve($0) }.filter { seen.insert($0).inserted }
    }

    public func build(_ targets: [NodeID], options: BuildOptions, observer: BuildObserver? = nil) throws -> BuildResult {
        try engine.build(album.graph, targets: targets, options: options, observer: observer)
    }
}
