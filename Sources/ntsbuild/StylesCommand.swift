import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild styles [NAME…]`: a sheet per style at eight latents, for choosing a look.
struct StylesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "styles",
        abstract: "Write a sheet per style (the Buildfile's styles: entries, fitted if needed, and styles/*.safetensors) at eight latents.")

    @Argument(help: "Styles to show (default: all).")
    var names: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: "Folder for the sheets.")
    var output = "renders/styles"

    @OptionGroup var project: ProjectOptions

    @OptionGroup var parallel: JobsOption

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            let (entries, library) = StyleSheet.available(in: workspace)
            let all = Set(entries).union(library.keys).sorted()
            for name in names where !all.contains(name) {
                throw ValidationError("no style named '\(name)'; known: \(all.joined(separator: ", "))")
            }
            let wanted = names.isEmpty ? all : names
            // Fitted styles come from the graph (cached); a Buildfile entry wins over a library file of the same name.
            let targets = wanted.filter { entries.contains($0) }.map { NodeID.style($0) }
            var files: [String: String] = library
            if !targets.isEmpty {
                let reporter = ProgressReporter()
                let result = try workspace.build(targets, options: BuildOptions(jobs: parallel.count), observer: reporter)
                reporter.close()
                if let failure = result.failures.first { throw GraphError.nodeFailed(failure.id, message: failure.message ?? "failed") }
                if result.interrupted { throw GraphError.interrupted }
                for name in wanted where entries.contains(name) {
                    guard let digest = result.result(for: .style(name))?.output else { continue }
                    files[name] = workspace.engine.store.path(of: digest)
                }
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for name in wanted {
                guard let file = files[name] else { continue }
                let path = "\(output)/\(name).png"
                try PNGWriter.write(try StyleSheet.render(styleFile: file), to: path)
                print(path)
            }
        }
    }
}
