import Graph

/// `clip:<track>:<first>-<end>` — frames [first, end) of a track's video with their audio, for
/// `--trim`: the track recipe on a window of frames, reading the track's own shards, so a clip
/// shows exactly what the full video shows there and shares its cached shards.
public struct ClipRecipe: Recipe {
    public static let kind = AlbumNode.Kind.clip.rawValue
    public static var version: Int { TrackRecipe.version }
    public static var components: [CodeVersion] { TrackRecipe.components }

    let track: TrackRecipe

    /// `track` made with a `window`.
    init(_ track: TrackRecipe) {
        precondition(track.params.window != nil, "a clip needs a window of frames")
        self.track = track
    }

    public var id: NodeID { track.id }
    public var params: TrackRecipe.Params { track.params }
    public var inputs: [NodeID] { track.inputs }
    public var workUnits: Int { track.workUnits }
    public var isDeliverable: Bool { true }
    public func make(_ context: BuildContext) throws -> String { try track.make(context) }
}
