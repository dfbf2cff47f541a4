import Graph

/// One batch job of a submission: a stage of one track (or the styles, or the album cut), with
/// the nodes it builds and the jobs it waits for.
public struct SlurmJob: Equatable, Sendable {
    /// The stages, in the order a track's nodes depend on each other.
    public enum Stage: String, Sendable, Comparable {
        case styles, features, frames, track, album

        private var rank: Int { [.styles, .features, .frames, .track, .album].firstIndex(of: self)! }
        public static func < (a: Stage, b: Stage) -> Bool { a.rank < b.rank }
    }

    public var stage: Stage
    /// The track it belongs to; nil for the styles and the album.
    public var track: String?
    /// The nodes it builds, sorted (an array job's are every task's).
    public var nodes: [NodeID]
    /// An array job's task numbers: the shard numbers whose frames it renders, one per task.
    public var shards: [Int]?
    /// The jobs it waits for (`afterok`), as indices into the plan's jobs.
    public var dependencies: [Int]

    /// Unique in a plan: `features-one`, `frames-one`, `album`.
    public var name: String { track.map { "\(stage.rawValue)-\($0)" } ?? stage.rawValue }

    /// The targets one task builds: a shard task names only its frames (they need its rows, which
    /// the build makes first); `shardVariable` stands for the task's four-digit shard number.
    public func targets(shardVariable: String) -> [String] {
        if stage == .frames, let track { return ["frames:\(track):\(shardVariable)"] }
        return nodes.map(\.raw)
    }

    /// `0-3,5,7-9`: the shard numbers as `--array` ranges.
    public var arrayRanges: String? {
        shards.map(Self.ranges)
    }

    static func ranges(_ numbers: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = Array(Set(numbers)).sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
