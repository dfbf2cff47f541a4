import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild targets [TARGET…]`: every node the targets need, inputs first, with its state —
/// fresh (in the cache), remote (not here, but the remote cache has it: it would be fetched),
/// stale (built before, something changed) or missing (never built, or its output left the
/// cache) — and why.
struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "targets", abstract: "List nodes with their state (fresh / remote / stale / missing) and why.")

    @Argument(help: "Targets (default: album).", completion: .custom(Completions.targets))
    var targets: [String] = []

    @OptionGroup var project: ProjectOptions

    @OptionGroup var remoteCache: RemoteCacheOption

    @Flag(help: "Include source files.")
    var files = false

    final class Collector: BuildObserver {
        var states: [NodeID: (state: String, why: String)] = [:]
        func handle(_ event: BuildEvent) {
            switch event {
            case .reused(let id, _):
                states[id] = ("fresh", "")
            case .wouldRun(let id, let reasons):
                let missing = reasons.allSatisfy { [.neverBuilt, .outputMissing, .inRemoteCache].contains($0) }
                let remote = reasons.contains(.inRemoteCache)
                states[id] = (remote ? "remote" : missing ? "missing" : "stale", reasons.map(\.description).joined(separator: "; "))
            case .failed(let id, let message):
                states[id] = ("error", message)
            default:
                break
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            workspace.engine.useRemote(try remoteCache.options(for: workspace.project))
            let nodes = try workspace.resolve(targets)
            let collector = Collector()
            _ = try workspace.build(nodes, options: BuildOptions(jobs: 1, dryRun: true, keepGoing: true), observer: collector)
            let order = try workspace.album.graph.closure(of: nodes).filter { files || !$0.isFile }
            let width = min(48, order.map(\.raw.count).max() ?? 0)
            var counts: [String: Int] = [:]
            for id in order {
                let (state, why) = collector.states[id] ?? (id.isFile ? "source" : "unknown", "")
                counts[state, default: 0] += 1
                let name = id.raw.padding(toLength: max(width, id.raw.count), withPad: " ", startingAt: 0)
                print(why.isEmpty ? "\(name)  \(state)" : "\(name)  \(state.padding(toLength: 7, withPad: " ", startingAt: 0))  \(why)")
            }
            FileHandle.standardError.write(Data(("ntsbuild: " + ["fresh", "remote", "stale", "missing", "error"].compactMap { k in counts[k].map { "\($0) \(k)" } }.joined(separator: ", ") + "\n").utf8))
        }
    }
}
