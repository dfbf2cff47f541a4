import Foundation
import Graph
import Nodes

/// Shell completions that need the project: targets, presets, and `--set` keys and values
/// (argument-parser's custom completions; `ntsbuild --generate-completion-script bash|zsh|fish`).
/// They read the Buildfile only — no audio, no cache — so they answer at once, and say nothing
/// when there is no Buildfile.
enum Completions {
    /// The Buildfile the command line names (`-f`/`--buildfile`), else the usual one.
    static func buildfile(_ words: [String]) -> String {
        for (i, word) in words.enumerated() where (word == "-f" || word == "--buildfile") && i + 1 < words.count {
            return words[i + 1]
        }
        return "Buildfile.yaml"
    }

    @Sendable static func targets(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let project = try? BuildfileLoader.load(path: buildfile(words)) else { return [NodeID.album.raw] }
        var targets = [NodeID.album.raw]
        for track in project.tracks {
            targets += [NodeID.track(track.id), .features(track: track.id), .trajectory(track: track.id)].map(\.raw)
            // Whole-track groups: every shard, every preview.
            targets += [AlbumNode.Kind.frames, .preview].map { "\($0.rawValue):\(track.id)" }
        }
        targets += project.styles.map { NodeID.style($0.name).raw }
        return targets.filter { $0.hasPrefix(prefix) }
    }

    @Sendable static func presets(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        let folder = URL(fileURLWithPath: buildfile(words)).standardizedFileURL.deletingLastPathComponent().path + "/presets"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// `KEY=` for every key; after the `=`, the values a key takes when they are few.
    @Sendable static func settings(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let equals = prefix.firstIndex(of: "=") else {
            return ConfigSchema.types.keys.sorted().map { $0 + "=" }.filter { $0.hasPrefix(prefix) }
        }
        let key = String(prefix[..<equals])
        let values: [String]
        switch ConfigSchema.types[key] {
        case .choice(let options)?: values = options
        case .bool?: values = ["true", "false"]
        case .optionalString? where key == "look.palette": values = PaletteLibrary.names
        default: values = []
        }
        return values.map { key + "=" + $0 }.filter { $0.hasPrefix(prefix) }
    }
}
