import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild clean`: removes rendered outputs (`renders/`) and stale temporary files; the cache
/// itself is kept (that is `cache gc`'s job), so nothing needs re-rendering afterwards.
/// `clean --dead` instead forgets nodes the Buildfile no longer has (a removed track, shards of
/// an old shard size) and removes the objects only they used, like ninja's `-t cleandead`.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clean", abstract: "Remove rendered outputs (renders/), or with --dead, outputs no longer in the graph.")

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Remove cached outputs of nodes no longer in the graph (keeps renders/ and everything live).")
    var dead = false

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Say what would be removed; remove nothing.")
    var dryRun = false

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            try workspace.engine.lock.acquire(.exclusive, onWait: waitingForLockMessage)
            dead ? try cleanDead(workspace) : try cleanRenders(workspace)
        }
    }

    func cleanRenders(_ workspace: Workspace) throws {
        let fm = FileManager.default
        var removed = 0
        for path in [workspace.rendersDirectory, workspace.engine.cacheDirectory + "/tmp"] where fm.fileExists(atPath: path) {
            removed += (try? fm.subpathsOfDirectory(atPath: path).count) ?? 0
            if !dryRun { try fm.removeItem(atPath: path) }
        }
        print("ntsbuild: \(dryRun ? "would remove" : "removed") \(removed) files from renders/ and cache/tmp")
    }

    func cleanDead(_ workspace: Workspace) throws {
        let maintenance = CacheMaintenance(engine: workspace.engine)
        let live = Set(workspace.album.graph.recipes.keys.map(\.raw))
        let (nodes, outputs) = try maintenance.forgetDeadNodes(live: live, dryRun: dryRun)
        // Objects of dead nodes go, unless a run in renders/ still names them.
        let doomed = outputs.subtracting(RunHistory(rendersDirectory: workspace.rendersDirectory).roots(keepingNewest: nil))
        let everything = Set(maintenance.objects().map(\.digest))
        let report = try maintenance.collect(roots: everything.subtracting(doomed), policy: .init(maxBytes: 0, dryRun: dryRun))  // a zero cap evicts every non-root
        for node in nodes { print("dead: \(node)") }
        print("ntsbuild: \(dryRun ? "would forget" : "forgot") \(nodes.count) dead nodes and \(dryRun ? "would remove" : "removed") \(report.removed.count) objects (\(ByteCount.format(report.removedBytes)))")
    }
}
