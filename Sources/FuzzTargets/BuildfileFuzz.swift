import Foundation
import Nodes

/// The Buildfile loader with `--set` values: the input is a Buildfile, optionally followed by a
/// NUL byte and `KEY=VALUE` lines handed over as `--set`, and by a second NUL and a preset file
/// (`presets/fuzz.yaml`, applied with `--preset fuzz`).
enum BuildfileFuzz {
    static func run(_ input: Data) {
        let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        let root = ScratchFile.directory + "/project"
        try? FileManager.default.createDirectory(atPath: root + "/presets", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/Buildfile.yaml", contents: Data(parts[0]))
        let sets = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).split(separator: "\n").map(String.init) : []
        var presets: [String] = []
        if parts.count > 2 {
            FileManager.default.createFile(atPath: root + "/presets/fuzz.yaml", contents: Data(parts[2]))
            presets = ["fuzz"]
        }
        do {
            _ = try BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: Overrides(presets: presets, sets: sets))
        } catch {
            guard error is ConfigError else { fatalError("buildfile: untyped error \(error)") }
            requireOneLine(error, .buildfile)
        }
    }
}
