import Foundation
import Graph
import Nodes

/// `-n` and `--explain`: what runs and why, printed on stdout once the build (or the dry run) is
/// over — in build order, with runs of like nodes (the shards of a track, say) that share their
/// reasons folded into one line:
///
///     frames:intro:0000–0008 (9 nodes): config controller.wander_seed changed 42 → 7
final class PlanPrinter: BuildObserver {
    private var reasons: [NodeID: [Reason]] = [:]

    func handle(_ event: BuildEvent) {
        switch event {
        case .wouldRun(let id, let why), .started(let id, let why, _): reasons[id] = why
        default: break
        }
    }

    /// The plan's lines, for the nodes in `order` (build order) that ran or would run. A group
    /// stands where its first node does.
    func lines(order: [NodeID]) -> [String] {
        var groups: [(ids: [NodeID], text: [String])] = []
        var groupOf: [String: Int] = [:]
        for id in order {
            guard let why = reasons[id] else { continue }
            var seen = Set<String>()
            let text = why.map { Self.describe($0) }.filter { seen.insert($0).inserted }
            let signature = Self.family(of: id) + "\n" + text.joined(separator: "\n")
            if let index = groupOf[signature] {
                groups[index].ids.append(id)
            } else {
                groupOf[signature] = groups.count
                groups.append(([id], text))
            }
        }
        return groups.map { group in
            let name = group.ids.count == 1 ? group.ids[0].raw
                : "\(group.ids[0].raw)–\(Self.suffix(of: group.ids.last!)) (\(group.ids.count) nodes)"
            return name + ": " + (group.text.isEmpty ? "runs" : group.text.joined(separator: "; "))
        }
    }

    /// Nodes of one family fold together: the shards (or previews) of one track, by kind.
    static func family(of id: NodeID) -> String {
        switch id.albumNode {
        case .rows(let track, _): return "rows:" + track
        case .frames(let track, _): return "frames:" + track
        case .preview(let track, _): return "preview:" + track
        default: return id.raw
        }
    }

    /// What follows the family in a node id: `0008` of `frames:intro:0008`.
    static func suffix(of id: NodeID) -> String {
        String(id.raw.split(separator: ":").last ?? Substring(id.raw))
    }

    /// A reason in words; one that names a shard's own input (its rows slice, its shard) names
    /// the input's family instead, so the shards of a track share the words.
    static func describe(_ reason: Reason) -> String {
        switch reason {
        case .inputChanged(let id, _, _, _) where family(of: id) != id.raw:
            return "input \(family(of: id)):… changed"
        case .inputWillRebuild(let id, _) where family(of: id) != id.raw:
            return "input \(family(of: id)):… will be rebuilt"
        default:
            return reason.description
        }
    }
}
