import Foundation

/// `ntsbuild init`: a Buildfile for some audio files. Track ids come from the file names (a
/// leading track number dropped, `[a-z0-9-]` kept), titles from the files' title tags (else the
/// file names), the artist and album title from the first file that has them.
public struct BuildfileDraft {
    public struct Track: Equatable {
        public var id: String
        public var title: String
        public var audio: String
    }
    public var title: String
    public var artist: String?
    public var tracks: [Track]

    /// `audio`: paths as given; `root`: the Buildfile's folder (paths are written relative to it).
    public init(audio: [String], root: String) {
        var seen = Set<String>()
        var tracks: [Track] = []
        var artist: String?, album: String?
        for path in audio {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let stem = Self.withoutTrackNumber(url.deletingPathExtension().lastPathComponent)
            var id = Self.id(from: stem)
            if id.isEmpty { id = "track" }
            var unique = id, n = 2
            while !seen.insert(unique).inserted { unique = "\(id)-\(n)"; n += 1 }
            let tags = AudioTags(path: url.path)
            artist = artist ?? tags.artist
            album = album ?? tags.album
            tracks.append(Track(id: unique, title: tags.title ?? stem, audio: Self.relative(url.path, to: root)))
        }
        self.tracks = tracks
        self.artist = artist
        title = album ?? URL(fileURLWithPath: root).lastPathComponent
    }

    /// "01 - Null Hypothesis" → "Null Hypothesis"; "1. intro" → "intro".
    static func withoutTrackNumber(_ stem: String) -> String {
        let stripped = stem.replacingOccurrences(of: #"^\d{1,3}\s*[-._ ]\s*"#, with: "", options: .regularExpression)
        return stripped.isEmpty ? stem : stripped
    }

    /// Lower case, runs of anything but `[a-z0-9]` as one hyphen, none at the ends.
    static func id(from text: String) -> String {
        let lowered = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let hyphenated = lowered.replacingOccurrences(of: "[^a-z0-9]+", with: "-", options: .regularExpression)
        return String(hyphenated.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(64))
    }

    static func relative(_ path: String, to root: String) -> String {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// The Buildfile's text: the album, and the usual sections with their defaults to edit.
    public var yaml: String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = ["# Written by ntsbuild init. `ntsbuild config show --keys` lists every key; `ntsbuild presets` the looks.",
                     "album:", "  title: \(quoted(title))"]
        if let artist { lines.append("  artist: \(quoted(artist))") }
        lines.append("  tracks:")
        for track in tracks {
            lines += ["    - id: \(track.id)", "      title: \(quoted(track.title))", "      audio: \(quoted(track.audio))"]
        }
        lines += ["  cut: {crossfade: 0.0, chapters: true}",
                  "output: {width: 1280, height: 720, fps: 30}",
                  "controller: {anchors: null}",
                  "generator: {kind: cppn, render_scale: 0.5}",
                  "postfx: {tone_curve: filmlog, vignette: 0.3}",
                  "encoder: {crf: 18, preset: veryfast}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
