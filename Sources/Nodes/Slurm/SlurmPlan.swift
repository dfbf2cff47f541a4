import Graph

/// The jobs that build what a submission needs, in an order each job's dependencies come before
/// it: the styles; per track its features and trajectory, one array job of its shards (task k
/// renders shard k) and its encoded video with its previews; the album cut after every track.
/// A stage with nothing to build gets no job, and the stages after it wait only for those that exist.
public struct SlurmPlan: Equatable, Sendable {
    public var jobs: [SlurmJob]

    /// `needed`: the nodes the cluster must build (`ClusterWork.needed`); `trackOrder`: the
    /// album's track ids, so jobs come in album order.
    public init(needed: [NodeID], trackOrder: [String]) {
        var groups: [String: SlurmJob] = [:]
        for id in needed {
            guard let node = id.albumNode, let stage = Self.stage(of: node) else { continue }
            let track = stage == .styles || stage == .album ? nil : node.trackID
            let key = (track ?? "") + "/" + stage.rawValue
            var job = groups[key] ?? SlurmJob(stage: stage, track: track, nodes: [], shards: stage == .frames ? [] : nil, dependencies: [])
            job.nodes.append(id)
            if case .frames(_, let k) = node { job.shards?.append(k) }
            if case .rows(_, let k) = node { job.shards?.append(k) }
            groups[key] = job
        }
        let rank = Dictionary(trackOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var ordered = groups.values.sorted { a, b in
            let (ta, tb) = (Self.position(a, rank), Self.position(b, rank))
            return ta != tb ? ta < tb : a.stage < b.stage
        }
        for index in ordered.indices {
            ordered[index].nodes.sort { $0.raw < $1.raw }
            ordered[index].shards = ordered[index].shards.map { Array(Set($0)).sorted() }
            ordered[index].dependencies = Self.dependencies(of: ordered[index], among: ordered)
        }
        jobs = ordered
    }

    public var isEmpty: Bool { jobs.isEmpty }

    private static func stage(of node: AlbumNode) -> SlurmJob.Stage? {
        switch node {
        case .style: return .styles
        case .features, .trajectory: return .features
        case .rows, .frames: return .frames
        case .track, .preview: return .track
        case .album: return .album
        case .source, .clip: return nil
        }
    }

    /// The styles first, then the tracks in album order, then the album.
    private static func position(_ job: SlurmJob, _ rank: [String: Int]) -> Int {
        switch job.stage {
        case .styles: return -1
        case .album: return Int.max
        default: return rank[job.track ?? ""] ?? Int.max - 1
        }
    }

    /// A track's stage waits for its earlier stages (and the styles, which its frames use); the
    /// album waits for the last job of every track, or for the styles when no track has one.
    private static func dependencies(of job: SlurmJob, among jobs: [SlurmJob]) -> [Int] {
        switch job.stage {
        case .styles:
            return []
        case .features, .frames, .track:
            return jobs.indices.filter { i in
                jobs[i].stage < job.stage && (jobs[i].stage == .styles ? job.stage != .features : jobs[i].track == job.track)
            }
        case .album:
            var last: [String: Int] = [:]
            for (i, other) in jobs.enumerated() where other.stage != .album { last[other.track ?? ""] = i }
            let tracks = last.filter { !$0.key.isEmpty }.values
            return (tracks.isEmpty ? Array(last.values) : Array(tracks)).sorted()
        }
    }
}
