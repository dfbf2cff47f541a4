import Foundation
import Yams

/// Loads Buildfile.yaml and resolves each track's configuration, lowest layer first:
/// built-in defaults → `preset:` of the Buildfile → the Buildfile's sections → the track's own
/// `preset` and `set` → `--preset` → `--set`.
public enum BuildfileLoader {
    static let topLevelKeys = ["album", "cache", "preset", "styles"]
    static let trackKeys = ["id", "audio", "title", "preset", "trim", "set"]

    public static func load(path: String, overrides: Overrides = Overrides()) throws -> Project {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let root = (absolute as NSString).deletingLastPathComponent
        let file = path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw MissingFileError(file: file, what: "Buildfile")
        }
        guard let document = try YAMLSource.load(path: absolute, displayName: file) else {
            throw ConfigError(SourceLocation(file: file), "the Buildfile is empty")
        }
        var albumNode: Node?
        var styles: [StyleSettings] = []
        // A styles section with a mistake is reported once: its tracks' style names are not checked against it.
        var stylesFailed = false
        var remoteCache: RemoteCacheSetting?
        var globalPreset: (String, SourceLocation)?
        var sectionValues: [String: LocatedValue] = [:]
        // Mistakes are gathered and reported together; only those that leave nothing to check end the load early.
        let issues = ConfigErrorCollector()
        for (key, keyNode, value) in try YAMLSource.mapping(document, file, what: "the Buildfile") {
            switch key {
            case "album": albumNode = value
            case "styles":
                if let parsed = try issues.attempt({ try StylesSection.parse(value, file: file) }) { styles = parsed } else { stylesFailed = true }
            case "cache": remoteCache = try issues.attempt { try CacheSection.parse(value, file: file) } ?? nil
            case "preset": globalPreset = try issues.attempt { (try presetName(value, file), YAMLSource.location(keyNode, file)) }
            default:
                guard ConfigSchema.sections.contains(key) else {
                    let hint = ConfigSchema.suggestion(for: key, among: topLevelKeys + ConfigSchema.sections.sorted()).map { " (did you mean \($0)?)" } ?? ""
                    issues.add(ConfigError(YAMLSource.location(keyNode, file), "unknown key \(key)\(hint)"))
                    continue
                }
                let values = try issues.attempt { try YAMLSource.configValues(value, prefix: key, file: file) } ?? [:]
                sectionValues.merge(values) { _, new in new }
            }
        }
        guard let albumNode else { throw issues.adding(ConfigError(SourceLocation(file: file, line: 1, column: 1), "missing key album")) }

        let presets = PresetLibrary(root: root)
        var base: [String: LocatedValue] = [:]
        if let (name, location) = globalPreset { base = try issues.attempt { try presets.values(name, requestedAt: location) } ?? [:] }
        base.merge(sectionValues) { _, new in new }
        var late: [String: LocatedValue] = [:]
        for name in overrides.presets {
            late.merge(try issues.attempt { try presets.values(name, requestedAt: SourceLocation(file: "--preset \(name)")) } ?? [:]) { _, new in new }
        }
        for assignment in overrides.sets {
            guard let (key, value) = try issues.attempt({ try parseSet(assignment) }) else { continue }
            late[key] = value
        }

        var title = "Untitled"
        var artist: String?
        var cut = CutConfig()
        var tracks: [TrackSpec] = []
        for (key, keyNode, value) in try YAMLSource.mapping(albumNode, file, what: "album") {
            let location = YAMLSource.location(value, file)
            switch key {
            case "title": title = try issues.attempt { try string(value, file, key: "album.title") } ?? title
            case "artist": artist = try issues.attempt { try string(value, file, key: "album.artist") }
            case "cut": cut = try issues.attempt { try parseCut(value, file) } ?? cut
            case "tracks":
                guard case .sequence(let items) = value, !items.isEmpty else {
                    throw issues.adding(ConfigError(location, "album.tracks must be a non-empty list"))
                }
                var seen = Set<String>()
                for (index, item) in items.enumerated() {
                    let parsed = try issues.attempt {
                        try parseTrack(item, number: index + 1, file: file, root: root, base: base, late: late, presets: presets,
                                       draft: overrides.draft)
                    }
                    guard var track = parsed else { continue }
                    // The second occurrence is the mistake: point at its id.
                    if !seen.insert(track.id).inserted {
                        issues.add(ConfigError(YAMLSource.location(item["id"] ?? item, file), "track id '\(track.id)' is used twice"))
                    }
                    if !stylesFailed, let styled = try issues.attempt({ try resolveStyle(of: track, styles: styles) }) { track = styled }
                    try issues.attempt { try checkPalette(of: track) }
                    tracks.append(track)
                }
            default:
                let hint = ConfigSchema.suggestion(for: key, among: ["title", "artist", "cut", "tracks"]).map { " (did you mean album.\($0)?)" } ?? ""
                issues.add(ConfigError(YAMLSource.location(keyNode, file), "unknown key album.\(key)\(hint)"))
            }
        }
        try issues.check()
        guard !tracks.isEmpty else { throw ConfigError(YAMLSource.location(albumNode, file), "album.tracks is missing") }
        return Project(root: root, buildfile: absolute, title: title, artist: artist, tracks: tracks, cut: cut, styles: styles,
                       remoteCache: remoteCache)
    }

    static func parseTrack(_ node: Node, number: Int, file: String, root: String, base: [String: LocatedValue],
                           late: [String: LocatedValue], presets: PresetLibrary, draft: Bool = false) throws -> TrackSpec {
        var id: String?, audio: String?, title: String?
        var trimStart = 0.0
        var trimEnd: Double?
        var own: [String: LocatedValue] = [:]
        var ownPreset: [String: LocatedValue] = [:]
        let issues = ConfigErrorCollector()
        let fields = try YAMLSource.mapping(node, file, what: "a track")
        for (key, keyNode, value) in fields {
            switch key {
            case "id":
                id = try issues.attempt { try trackID(value, file) }
            case "audio": audio = try issues.attempt { try string(value, file, key: "audio") }
            case "title": title = try issues.attempt { try string(value, file, key: "title") }
            case "preset": ownPreset = try issues.attempt { try presets.values(try presetName(value, file), requestedAt: YAMLSource.location(value, file)) } ?? [:]
            case "set": own = try issues.attempt { try YAMLSource.configValues(value, prefix: "", file: file) } ?? [:]
            case "trim": (trimStart, trimEnd) = try issues.attempt { try parseTrim(value, file) } ?? (trimStart, trimEnd)
            default:
                let hint = ConfigSchema.suggestion(for: key, among: trackKeys).map { " (did you mean \($0)?)" } ?? ""
                issues.add(ConfigError(YAMLSource.location(keyNode, file), "unknown track key \(key)\(hint)"))
            }
        }
        // A key that is there but wrong has been reported already.
        let given = Set(fields.map(\.key))
        if !given.contains("id") { issues.add(ConfigError(YAMLSource.location(node, file), "track \(number) has no id")) }
        if !given.contains("audio") { issues.add(ConfigError(YAMLSource.location(node, file), "track \(id ?? String(number)) has no audio")) }
        var values = base
        values.merge(ownPreset) { _, new in new }
        values.merge(own) { _, new in new }
        values.merge(late) { _, new in new }
        if draft {
            // The profile scales the size everything else resolved to (a --set size included); a
            // --set of its encoder keys wins.
            for (key, value) in DraftProfile.values(for: try ConfigCoding.decode(values))
                where key.hasPrefix("output.") || !(values[key]?.location.file.hasPrefix("--set ") ?? false) {
                values[key] = LocatedValue(value: value, location: DraftProfile.location)
            }
        }
        let config = try ConfigCoding.decode(values)
        ConfigValidation.problems(values, config, track: YAMLSource.location(node, file)).forEach(issues.add)
        try issues.check()
        guard let id, let audio else { throw ConfigError(YAMLSource.location(node, file), "track \(number) is incomplete") }
        return TrackSpec(id: id, number: number, title: title ?? id, audio: audio, trimStart: trimStart, trimEnd: trimEnd,
                         config: config, locations: values.mapValues(\.location))
    }

    static func trackID(_ node: Node, _ file: String) throws -> String {
        let text = try string(node, file, key: "id")
        guard text.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else {
            throw ConfigError(YAMLSource.location(node, file), "track id '\(text)' must match [a-z0-9-]+")
        }
        try ConfigValidation.checkTrackID(text, at: YAMLSource.location(node, file))
        return text
    }

    static func parseTrim(_ node: Node, _ file: String) throws -> (start: Double, end: Double?) {
        var trimStart = 0.0
        var trimEnd: Double?
        for (tk, tkNode, tv) in try YAMLSource.mapping(node, file, what: "trim") {
            let v = try YAMLSource.value(tv, file)
            let loc = YAMLSource.location(tv, file)
            switch (tk, v) {
            case ("start", .int(let s)): trimStart = Double(s)
            case ("start", .float(let s)): trimStart = s
            case ("end", .int(let e)): trimEnd = Double(e)
            case ("end", .float(let e)): trimEnd = e
            case ("end", .null): trimEnd = nil
            case ("start", _), ("end", _): throw ConfigError(loc, "trim.\(tk): expected seconds, got '\(v)'")
            default: throw ConfigError(YAMLSource.location(tkNode, file), "unknown key trim.\(tk) (expected start or end)")
            }
        }
        guard trimStart >= 0, trimEnd.map({ $0 > trimStart }) ?? true else {
            throw ConfigError(YAMLSource.location(node, file), "trim: need 0 ≤ start < end")
        }
        return (trimStart, trimEnd)
    }

    /// A CPPN track's `generator.style` names an entry of `styles:` with the track's latent size.
    /// It replaces a `generator.weights` file (e.g. a preset's), so `--set generator.style=…` tries
    /// a fitted style on a track whatever its preset; the file then leaves the track's key.
    static func resolveStyle(of track: TrackSpec, styles: [StyleSettings]) throws -> TrackSpec {
        let generator = track.config.generator
        guard generator.kind == "cppn", let name = generator.style else { return track }
        let location = track.locations["generator.style"] ?? SourceLocation(file: "generator.style")
        guard let style = styles.first(where: { $0.name == name }) else {
            let hint = ConfigSchema.suggestion(for: name, among: styles.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
            let known = styles.isEmpty ? "the Buildfile has no styles: section" : "known: " + styles.map(\.name).joined(separator: ", ")
            throw ConfigError(location, "generator.style: no style named '\(name)'\(hint); \(known)")
        }
        guard style.latentDim == track.config.controller.latentDim else {
            throw ConfigError(location, "generator.style: style '\(name)' has latent_dim \(style.latentDim), track \(track.id) has controller.latent_dim \(track.config.controller.latentDim)")
        }
        var styled = track
        styled.config.generator.weights = nil
        return styled
    }

    /// A named or listed palette is checked when the Buildfile is read, not after rendering.
    static func checkPalette(of track: TrackSpec) throws {
        guard let text = track.config.look.palette else { return }
        do { _ = try PaletteSource.parse(text) } catch {
            throw ConfigError(track.locations["look.palette"] ?? SourceLocation(file: "look.palette"), "look.palette: \(error)")
        }
    }

    static func parseCut(_ node: Node, _ file: String) throws -> CutConfig {
        var cut = CutConfig()
        for (key, keyNode, value) in try YAMLSource.mapping(node, file, what: "album.cut") {
            let v = try YAMLSource.value(value, file)
            switch (key, v) {
            case ("crossfade", .int(let x)) where x >= 0: cut.crossfade = Double(x)
            case ("crossfade", .float(let x)) where x >= 0 && x.isFinite: cut.crossfade = x
            case ("chapters", .bool(let b)): cut.chapters = b
            case ("crossfade", _): throw ConfigError(YAMLSource.location(value, file), "album.cut.crossfade: expected seconds ≥ 0, got '\(v)'")
            case ("chapters", _): throw ConfigError(YAMLSource.location(value, file), "album.cut.chapters: expected true or false, got '\(v)'")
            default: throw ConfigError(YAMLSource.location(keyNode, file), "unknown key album.cut.\(key) (expected crossfade or chapters)")
            }
        }
        return cut
    }

    /// `--set controller.wander_seed=7`: the value is read as a YAML scalar and type-checked.
    static func parseSet(_ assignment: String) throws -> (String, LocatedValue) {
        let location = SourceLocation(file: "--set \(assignment)")
        guard let eq = assignment.firstIndex(of: "=") else { throw ConfigError(location, "expected KEY=VALUE") }
        let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        let text = String(assignment[assignment.index(after: eq)...])
        // A value starting with '#' would be a YAML comment; on the command line it means the text
        // itself (look.palette=#1b1b3a #693668 …).
        let node = text.hasPrefix("#") ? Node(text, Tag(.str), .singleQuoted)
            : try YAMLSource.parse(text.isEmpty ? "''" : text, displayName: location.file) ?? Node("")
        let located = LocatedValue(value: try YAMLSource.value(node, location.file), location: location)
        return (key, LocatedValue(value: try ConfigSchema.check(key, located), location: location))
    }

    static func string(_ node: Node, _ file: String, key: String) throws -> String {
        let v = try YAMLSource.value(node, file)
        switch v {
        case .string(let s) where !s.isEmpty: return s
        case .int, .float: return v.description
        default: throw ConfigError(YAMLSource.location(node, file), "\(key): expected a string, got '\(v)'")
        }
    }

    static func presetName(_ node: Node, _ file: String) throws -> String {
        try string(node, file, key: "preset")
    }
}
