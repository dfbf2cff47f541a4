import ArgumentParser
import Foundation
import Nodes

@main
struct NTSBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ntsbuild",
        abstract: "Render an album into audio-reactive music videos through an incremental build graph.",
        version: RunRecord.toolVersion,  // the one version string: run.json records the same
        subcommands: [BuildCommand.self, ExplainCommand.self, CleanCommand.self, VerifyCommand.self, TargetsCommand.self, GraphCommand.self,
                      CacheCommand.self, StillCommand.self, StylesCommand.self, PresetsCommand.self, ConfigCommand.self, InitCommand.self, SubmitCommand.self],
        defaultSubcommand: BuildCommand.self)

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }

    static func main() {
        do {
            main(try CommandLinePreparation.prepare(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames))
        } catch {
            FileHandle.standardError.write(Data("ntsbuild: error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.missingInput.rawValue)
        }
    }
}
