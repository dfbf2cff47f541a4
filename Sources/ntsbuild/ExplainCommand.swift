import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild explain TARGET`: the chain from the target down to the root causes of its
/// staleness, each node with its reasons, old → new.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain why a target would be rebuilt.")

    @Argument(help: "The target to explain.", completion: .custom(Completions.targets))
    var target: String = "album"

    @OptionGroup var project: ProjectOptions

    @OptionGroup var remoteCache: RemoteCacheOption

    final class Collector: BuildObserver {
        var reasons: [NodeID: [Reason]] = [:]
        func handle(_ event: BuildEvent) {
            if case .wouldRun(let id, let r) = event { reasons[id] = r }
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try project.workspace()
            workspace.engine.useRemote(try remoteCache.options(for: workspace.project))
            let nodes = try workspace.resolve([target])
            let collector = Collector()
            _ = try workspace.build(nodes, options: BuildOptions(jobs: 1, dryRun: true), observer: collector)
            if collector.reasons.isEmpty {
                print("\(target) is up to date")
                return
            }
            var printed = Set<NodeID>()
            func show(_ id: NodeID, depth: Int) {
                guard let reasons = collector.reasons[id] else { return }
                let indent = String(repeating: "  ", count: depth)
                if !printed.insert(id).inserted {
                    print("\(indent)\(id): (see above)")
                    return
                }
                for reason in reasons { print("\(indent)\(id): \(reason)") }
                for input in workspace.album.graph.inputs(of: id).sorted() { show(input, depth: depth + 1) }
            }
            for id in nodes { show(id, depth: 0) }
        }
    }
}
