import ArgumentParser
import Foundation
import Nodes

/// `ntsbuild clean`: removes rendered outputs (`renders/`) and stale temporary files; the cache
/// itself is kept (that is `cache gc`'s job), so nothing needs re-rendering afterwards.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clean", abstract: "Remove rendered outputs (renders/).")

    @OptionGroup var project: ProjectOptions

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            let fm = FileManager.default
            var removed = 0
            for path in [workspace.rendersDirectory, workspace.engine.cacheDirectory + "/tmp"] where fm.fileExists(atPath: path) {
                removed += (try? fm.subpathsOfDirectory(atPath: path).count) ?? 0
                try fm.removeItem(atPath: path)
            }
            print("ntsbuild: removed \(removed) files from renders/ and cache/tmp")
        }
    }
}
