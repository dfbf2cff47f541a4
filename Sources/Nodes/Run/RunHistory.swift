import Foundation
import Graph

/// The runs recorded under `renders/`, newest last: what `cache gc --keep-runs K` protects, and
/// what `cache stats` reports the reuse of.
public struct RunHistory {
    public struct Run: Sendable {
        public var folder: String
        public var started: String
        /// Every node's output in that run (intermediate ones too, so a kept run can be
        /// re-verified and its shards reused).
        public var outputs: Set<Digest>
        public var built: Int
        public var reused: Int
    }

    public let runs: [Run]

    public init(rendersDirectory: String) {
        var runs: [Run] = []
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: rendersDirectory)) ?? [] where name.hasPrefix("run-") {
            let folder = rendersDirectory + "/" + name
            guard let data = fm.contents(atPath: folder + "/run.json"),
                  let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let nodes = doc["nodes"] as? [[String: Any]] ?? []
            runs.append(Run(
                folder: folder, started: doc["started"] as? String ?? "",
                outputs: Set(nodes.compactMap { ($0["output"] as? String).flatMap(Digest.init(hex:)) }),
                built: nodes.filter { $0["status"] as? String == "built" }.count,
                reused: nodes.filter { $0["status"] as? String == "reused" }.count))
        }
        self.runs = runs.sorted { ($0.started, $0.folder) < ($1.started, $1.folder) }
    }

    /// The outputs of the newest `keep` runs (all runs when nil).
    public func roots(keepingNewest keep: Int?) -> Set<Digest> {
        runs.suffix(keep ?? runs.count).reduce(into: Set<Digest>()) { $0.formUnion($1.outputs) }
    }
}
