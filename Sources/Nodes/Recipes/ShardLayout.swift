/// How a track's frames split into shards: ⌈frames / shards.frames⌉ shards of equal length
/// (the first `frames mod count` of them one frame longer). With fixed-length shards a 150-frame
/// clip at 120 frames a shard became 120 + 30, and `-j2` idled half the time on it; balanced it
/// is 75 + 75. The layout depends on the track's length and `shards.frames` only — never on `-j`
/// or the machine — so every shard's key is the same wherever it is built.
public struct ShardLayout: Equatable, Sendable {
    public let frames: Int
    public let count: Int
    /// The short shards' length; the first `longer` shards hold one frame more.
    private let base: Int
    private let longer: Int

    /// `perShard`: `shards.frames`, the most frames a shard may hold (≥ 1).
    public init(frames: Int, perShard: Int) {
        precondition(perShard > 0, "shards must hold at least one frame")
        self.frames = max(0, frames)
        count = (self.frames + perShard - 1) / perShard
        base = count == 0 ? 0 : self.frames / count
        longer = count == 0 ? 0 : self.frames % count
    }

    /// The first frame of shard k (k may be `count`: the end of the track).
    public func start(of shard: Int) -> Int { shard * base + min(shard, longer) }

    /// The frames of shard k.
    public func range(of shard: Int) -> Range<Int> { start(of: shard)..<start(of: shard + 1) }

    public var ranges: [Range<Int>] { (0..<count).map(range(of:)) }

    /// The shard that holds `frame` (a frame past the end maps past the last shard).
    public func shard(containing frame: Int) -> Int {
        let longPart = longer * (base + 1)
        if frame < longPart { return frame / (base + 1) }
        return base == 0 ? count : longer + (frame - longPart) / base
    }
}
