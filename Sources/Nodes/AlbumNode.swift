import Graph

/// Every node of the album graph, named in this one place: `AlbumNode.id` formats a node's id
/// and `AlbumNode(id)` parses one. Nothing else builds or takes apart id strings.
///
/// Ids: `file:<path>`, `style:<name>`, `features:<track>`, `trajectory:<track>`,
/// `rows:<track>:<k>`, `frames:<track>:<k>`, `track:<track>`, `clip:<track>:<first>-<end>`,
/// `preview:<track>:<part>`, `album`.
/// Track ids match `[a-z0-9-]+` and style names hold no `:`, so every id parses back to its node.
public enum AlbumNode: Hashable, Sendable {
    case source(path: String)
    case style(name: String)
    case features(track: String)
    case trajectory(track: String)
    case rows(track: String, shard: Int)
    case frames(track: String, shard: Int)
    case track(String)
    /// Frames [first, end) of a track's video with their audio (`--trim`).
    case clip(track: String, first: Int, end: Int)
    case preview(track: String, part: PreviewPart)
    case album

    /// The kinds of node the album makes (a source file is not made, so it has none).
    public enum Kind: String, CaseIterable, Sendable {
        case style, features, trajectory, rows, frames, track, clip, preview, album
    }

    public var kind: Kind? {
        switch self {
        case .source: return nil
        case .style: return .style
        case .features: return .features
        case .trajectory: return .trajectory
        case .rows: return .rows
        case .frames: return .frames
        case .track: return .track
        case .clip: return .clip
        case .preview: return .preview
        case .album: return .album
        }
    }

    /// The track a node belongs to, if any.
    public var trackID: String? {
        switch self {
        case .features(let t), .trajectory(let t), .rows(let t, _), .frames(let t, _), .track(let t), .clip(let t, _, _), .preview(let t, _): return t
        case .source, .style, .album: return nil
        }
    }

    public var id: NodeID {
        switch self {
        case .source(let path): return .file(path)
        case .style(let name): return NodeID("style:" + name)
        case .features(let t): return NodeID("features:" + t)
        case .trajectory(let t): return NodeID("trajectory:" + t)
        case .rows(let t, let k): return NodeID("rows:\(t):\(Self.shardNumber(k))")
        case .frames(let t, let k): return NodeID("frames:\(t):\(Self.shardNumber(k))")
        case .track(let t): return NodeID("track:" + t)
        case .clip(let t, let first, let end): return NodeID("clip:\(t):\(first)-\(end)")
        case .preview(let t, let part): return NodeID("preview:\(t):\(part.rawValue)")
        case .album: return NodeID("album")
        }
    }

    /// The node an id names, or nil if no album node has that id.
    public init?(_ id: NodeID) {
        if let path = id.filePath { self = .source(path: path); return }
        let parts = id.raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let kind = Kind(rawValue: parts[0]) else { return nil }
        switch (kind, parts.count) {
        case (.album, 1): self = .album
        case (.style, 2): self = .style(name: parts[1])
        case (.features, 2): self = .features(track: parts[1])
        case (.trajectory, 2): self = .trajectory(track: parts[1])
        case (.track, 2): self = .track(parts[1])
        case (.rows, 3), (.frames, 3):
            guard let k = Self.parseShard(parts[2]) else { return nil }
            self = kind == .rows ? .rows(track: parts[1], shard: k) : .frames(track: parts[1], shard: k)
        case (.clip, 3):
            let bounds = parts[2].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = Int(bounds[0]), let end = Int(bounds[1]), first >= 0, end > first,
                  "\(first)-\(end)" == parts[2] else { return nil }
            self = .clip(track: parts[1], first: first, end: end)
        case (.preview, 3):
            guard let part = PreviewPart(rawValue: parts[2]) else { return nil }
            self = .preview(track: parts[1], part: part)
        default: return nil
        }
        guard !parts.dropFirst().contains(where: \.isEmpty) else { return nil }
    }

    /// Shard numbers have four digits at least, so ids sort in timeline order.
    static func shardNumber(_ k: Int) -> String { k < 10_000 ? String(format: "%04d", k) : String(k) }

    static func parseShard(_ text: String) -> Int? {
        guard text.utf8.count >= 4, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let k = Int(text) else { return nil }
        return shardNumber(k) == text ? k : nil
    }
}

/// The three previews of a track, each its own node because a recipe writes one file.
public enum PreviewPart: String, Codable, CaseIterable, Sendable {
    case poster, sheet, anim

    /// The file name in a run folder.
    public func fileName(track: String) -> String {
        switch self {
        case .poster: return "\(track)-poster.png"
        case .sheet: return "\(track)-sheet.png"
        case .anim: return "\(track)-preview.webp"
        }
    }
}

extension NodeID {
    /// The album node this id names, if any.
    public var albumNode: AlbumNode? { AlbumNode(self) }

    public static func style(_ name: String) -> NodeID { AlbumNode.style(name: name).id }
    public static func features(track: String) -> NodeID { AlbumNode.features(track: track).id }
    public static func trajectory(track: String) -> NodeID { AlbumNode.trajectory(track: track).id }
    public static func rows(track: String, shard: Int) -> NodeID { AlbumNode.rows(track: track, shard: shard).id }
    public static func frames(track: String, shard: Int) -> NodeID { AlbumNode.frames(track: track, shard: shard).id }
    public static func track(_ id: String) -> NodeID { AlbumNode.track(id).id }
    public static func clip(track: String, first: Int, end: Int) -> NodeID { AlbumNode.clip(track: track, first: first, end: end).id }
    public static func preview(track: String, part: PreviewPart) -> NodeID { AlbumNode.preview(track: track, part: part).id }
    public static var album: NodeID { AlbumNode.album.id }
}
