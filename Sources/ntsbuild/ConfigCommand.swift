import ArgumentParser
import Foundation
import Nodes

/// `ntsbuild config show`: each track's resolved configuration with the layer every value came
/// from (`default`, `presets/x.yaml:3:10`, `Buildfile.yaml:12:5`, `--set …`); with `--keys`, every
/// key with its type, default and meaning.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show resolved configuration and the keys there are.",
                                                    subcommands: [Show.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each track's resolved values and where each came from.")

        @OptionGroup var project: ProjectOptions

        @Option(help: "Only this track.")
        var track: String?

        @Flag(help: "Every key with its type, default and meaning, instead of a track's values.")
        var keys = false

        func run() throws {
            try reportingErrors {
                if keys { return printKeys() }
                let workspace = try project.workspace()
                var tracks = workspace.project.tracks
                if let track {
                    guard let spec = workspace.project.track(track) else {
                        let hint = ConfigSchema.suggestion(for: track, among: tracks.map(\.id)).map { " (did you mean \($0)?)" } ?? ""
                        throw UsageError("config show: unknown track '\(track)'\(hint)")
                    }
                    tracks = [spec]
                }
                for spec in tracks {
                    print("track:\(spec.id)")
                    let values = ResolvedConfig.flatten(spec.config)
                    let width = values.keys.map(\.count).max() ?? 0, valueWidth = values.values.map(\.count).max() ?? 0
                    for key in values.keys.sorted() {
                        let source = spec.locations[key].map(\.description) ?? "default"
                        print("  " + key.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                              + values[key]!.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  # " + source)
                    }
                }
            }
        }

        func printKeys() {
            let defaults = ResolvedConfig.flatten(TrackConfig())
            for key in ConfigSchema.types.keys.sorted() {
                print("\(key)  (\(ConfigSchema.types[key]!.expectation); default \(defaults[key] ?? "null"))")
                print("    \(ConfigKeyDocs.meanings[key] ?? "")")
            }
        }
    }
}
