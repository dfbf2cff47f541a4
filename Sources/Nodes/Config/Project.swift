import Foundation

/// One track of the album with its fully resolved configuration.
public struct TrackSpec: Equatable, Sendable {
    public var id: String
    public var number: Int
    public var title: String
    /// Audio path relative to the project root (the Buildfile's folder).
    public var audio: String
    public var trimStart: Double
    public var trimEnd: Double?
    public var config: TrackConfig
}

/// The album: its tracks in order and the cut settings.
public struct Project: Sendable {
    /// The folder that holds the Buildfile; relative paths are relative to it.
    public var root: String
    public var buildfile: String
    public var title: String
    public var artist: String?
    public var tracks: [TrackSpec]
    public var cut: CutConfig

    public func track(_ id: String) -> TrackSpec? { tracks.first { $0.id == id } }
}

/// Command-line overlays, applied after everything in the Buildfile.
public struct Overrides: Sendable {
    public var presets: [String] = []
    /// `KEY=VALUE` strings as given to `--set`.
    public var sets: [String] = []
    public init(presets: [String] = [], sets: [String] = []) {
        self.presets = presets
        self.sets = sets
    }
}
