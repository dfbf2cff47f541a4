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

    /// Whether the command may render (features and the conv generator run on OpenBLAS): a build
    /// (the default subcommand) that is not a dry run, `still` or `styles`. The others skip
    /// OpenBLAS's relaunch, which costs one more start of the program (~70 ms). The subcommand is
    /// the first argument that names one; a misreading costs only that start, never a result.
    static func rendersFrames(_ arguments: ArraySlice<String>) -> Bool {
        let names = subcommandNames, options = arguments.prefix(while: { $0 != "--" })
        if options.contains(where: ["--help", "-h", "--version", "-n", "--dry-run"].contains) { return false }
        guard let subcommand = options.first(where: names.contains) else {
            return arguments.first?.hasPrefix("---") != true  // a shell's completion request renders nothing
        }
        let rendering: [any ParsableCommand.Type] = [BuildCommand.self, StillCommand.self, StylesCommand.self]
        return rendering.contains { $0.configuration.commandName == subcommand }
    }

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }

    static func main() {
        if rendersFrames(CommandLine.arguments.dropFirst()) { OpenBLASCore.relaunchIfMisdetected() }
        do {
            main(try CommandLinePreparation.prepare(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames))
        } catch {
            FileHandle.standardError.write(Data("ntsbuild: error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.missingInput.rawValue)
        }
    }
}
