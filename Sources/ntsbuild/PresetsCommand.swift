import ArgumentParser
import Foundation
import Nodes

/// `ntsbuild presets`: the presets beside the Buildfile, each with the one-line description its
/// file starts with (`# name — description`).
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "presets", abstract: "List the presets in presets/ with their descriptions.")

    @Option(name: [.customShort("f"), .customLong("buildfile")], help: "The Buildfile whose presets/ to list.")
    var buildfile = "Buildfile.yaml"

    func run() throws {
        try reportingErrors {
            let folder = (URL(fileURLWithPath: buildfile).standardizedFileURL.deletingLastPathComponent().path as NSString).appendingPathComponent("presets")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            guard !names.isEmpty else { throw MissingFileError(file: folder, what: "presets folder (or its .yaml files)") }
            let width = names.map { $0.count - 5 }.max() ?? 0
            for file in names {
                let name = String(file.dropLast(5))
                print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.description(of: folder + "/" + file, name: name))
            }
        }
    }

    /// The first comment line, without `#` and a leading `name —`.
    static func description(of path: String, name: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("#") }) else { return "(no description)" }
        var description = line.drop { $0 == "#" || $0 == " " }
        for prefix in ["\(name) — ", "\(name) - ", "\(name): "] where description.hasPrefix(prefix) {
            description = description.dropFirst(prefix.count)
        }
        return String(description)
    }
}
