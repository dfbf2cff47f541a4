/// Picks individual frames out of a track's shards (previews need a handful of frames, not the
/// whole track): each needed shard is opened once and decoded only up to its last wanted frame.
public struct ShardFrames {
    /// Shard files in track order; shard k holds `layout.range(of: k)`.
    public let paths: [String]
    public let layout: ShardLayout

    public init(paths: [String], layout: ShardLayout) {
        self.paths = paths
        self.layout = layout
    }

    /// The images of `indices` (any order, repeats allowed), returned in the order asked.
    public func images(at indices: [Int]) throws -> [RGBImage] {
        var found: [Int: RGBImage] = [:]
        let wanted = Set(indices)
        for (shard, group) in Dictionary(grouping: wanted, by: layout.shard(containing:)).sorted(by: { $0.key < $1.key }) {
            guard shard >= 0, shard < paths.count else {
                throw MediaError.invalid(file: "shards", reason: "frame \(group.min()!) is beyond the last shard (\(paths.count) shards)")
            }
            let reader = try ShardReader(path: paths[shard])
            let first = layout.start(of: shard), last = group.max()! - first
            for offset in 0...last {
                let index = first + offset
                // Frames before a wanted one are decoded (the codec needs them) but not converted.
                if wanted.contains(index) {
                    found[index] = try reader.next()
                    if found[index] != nil { continue }
                } else if try reader.skip() {
                    continue
                }
                throw MediaError.invalid(file: paths[shard], reason: "shard ends before frame \(index)")
            }
        }
        return indices.map { found[$0]! }
    }
}
