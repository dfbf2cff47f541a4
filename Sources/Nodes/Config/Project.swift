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
    /// How the graph found the audio is decoded (`AudioFile.decoderTag`), for the keys of the
    /// nodes that read it; set when the graph is built.
    public var audioDecoder: String?
    /// Where each configuration key got its value, for errors found after loading.
    public var locations: [String: SourceLocation] = [:]

    public static func == (a: TrackSpec, b: TrackSpec) -> Bool {
        a.id == b.id && a.number == b.number && a.title == b.title && a.audio == b.audio
            && a.trimStart == b.trimStart && a.trimEnd == b.trimEnd && a.config == b.config
    }
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
    /// The `styles:` entries: CPPN styles fitted to reference images, by name.
    public var styles: [StyleSettings] = []
    /// `cache.remote`: a cache shared with other machines, unless the command line names one.
    public var remoteCache: RemoteCacheSetting?

    public func track(_ id: String) -> TrackSpec? { tracks.first { $0.id == id } }
}

/// Command-line overlays, applied after everything in the Buildfile.
public struct Overrides: Sendable {
    public var presets: [String] = []
    /// `KEY=VALUE` strings as given to `--set`.
    public var sets: [String] = []
    /// `--draft` (`DraftProfile`), between `--preset` and `--set`.
    public var draft = false
    public init(presets: [String] = [], sets: [String] = [], draft: Bool = false) {
        self.presets = presets
        self.sets = sets
        self.draft = draft
    }
}
