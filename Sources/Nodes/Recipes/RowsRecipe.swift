import Graph

/// `rows:<track>:<k>` — the trajectory rows of one shard. A shard depends on this slice rather
/// than on the whole trajectory, so a change that moves part of the timeline re-renders only
/// the shards whose rows changed (early cutoff stops at identical slices).
public struct RowsRecipe: Recipe {
    public struct Params: Codable, Equatable, Sendable {
        var start: Int
        var end: Int
    }
    public static let kind = AlbumNode.Kind.rows.rawValue
    public static let version = 1

    public let id: NodeID
    public let params: Params
    let trajectory: NodeID

    public init(trackID: String, shard: Int, range: Range<Int>, trajectory: NodeID) {
        id = .rows(track: trackID, shard: shard)
        params = Params(start: range.lowerBound, end: range.upperBound)
        self.trajectory = trajectory
    }

    public var inputs: [NodeID] { [trajectory] }
    public var label: String? { "trajectory rows \(params.start)..\(params.end - 1)" }

    public func make(_ context: BuildContext) throws -> String {
        let path = context.path(of: trajectory)
        let table = try Safetensors.read(path: path)
        let range = params.start..<params.end
        var slice = Safetensors(metadata: table.metadata)
        slice.metadata["first_frame"] = String(range.lowerBound)
        for (name, tensor) in table.tensors {
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
