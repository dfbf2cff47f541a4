import Graph

/// `rows:<track>:<k>` — the trajectory rows of one shard. A shard depends on this slice rather
/// than on the whole trajectory, so a change that moves part of the timeline re-renders only
/// the shards whose rows changed (early cutoff stops at identical slices).
public struct RowsRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var start: Int
        var end: Int
    }
    public static let kind = "rows"
    public static let version = 1

    let trackID: String
    let shard: Int
    let range: Range<Int>
    public init(trackID: String, shard: Int, range: Range<Int>) {
        self.trackID = trackID
        self.shard = shard
        self.range = range
    }

    var trajectoryNode: NodeID { NodeID("trajectory:\(trackID)") }
    public var id: NodeID { NodeID("rows:\(trackID):\(ShardNaming.number(shard))") }
    public var params: Params { Params(start: range.lowerBound, end: range.upperBound) }
    public var inputs: [NodeID] { [trajectoryNode] }
    public var label: String? { "trajectory rows \(range.lowerBound)..\(range.upperBound - 1)" }

    public func make(_ context: BuildContext) throws -> String {
        let path = context.path(of: trajectoryNode)
        let trajectory = try Safetensors.read(path: path)
        var slice = Safetensors(metadata: trajectory.metadata)
        slice.metadata["first_frame"] = String(range.lowerBound)
        for (name, tensor) in trajectory.tensors {
            guard let rows = tensor.shape.first, rows >= range.upperBound else {
                throw GraphError.nodeFailed(id, message: "\(path): tensor '\(name)' has fewer than \(range.upperBound) rows")
            }
            let width = tensor.shape.dropFirst().reduce(1, *)
            slice.tensors[name] = Tensor(shape: [range.count] + tensor.shape.dropFirst(),
                                         data: Array(tensor.data[(range.lowerBound * width)..<(range.upperBound * width)]))
        }
        return try writeTemporary(slice, context)
    }
}

enum ShardNaming {
    static func number(_ k: Int) -> String { k < 10_000 ? String(format: "%04d", k) : String(k) }
}
