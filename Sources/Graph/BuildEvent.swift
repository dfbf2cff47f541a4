/// What happens to a node during a build, for progress displays and the `--json` stream.
public enum BuildEvent: Sendable {
    case started(NodeID, reasons: [Reason], workUnits: Int)
    /// `detail`: the node's own short status, e.g. "loss 0.231" while a style is fitted.
    case progress(NodeID, done: Int, total: Int, detail: String?)
    case built(NodeID, output: Digest, seconds: Double)
    case reused(NodeID, output: Digest)
    /// Taken from the remote cache (and re-hashed) instead of built.
    case fetched(NodeID, output: Digest, bytes: Int)
    case wouldRun(NodeID, reasons: [Reason])
    case failed(NodeID, message: String)
    case skipped(NodeID, because: NodeID)
    /// Something went wrong that the engine repaired, e.g. a corrupt cached object it dropped.
    case warning(NodeID, message: String)
}

/// Receives events; the engine serialises the calls, so an observer needs no lock of its own.
public protocol BuildObserver: AnyObject {
    func handle(_ event: BuildEvent)
}

public enum NodeStatus: String, Codable, Sendable {
    case built, reused, fetched, wouldRun = "would-run", failed, skipped
}

/// The outcome of one node in one build.
public struct NodeResult: Sendable {
    public var id: NodeID
    public var status: NodeStatus
    public var key: Digest?
    public var output: Digest?
    public var seconds: Double
    public var reasons: [Reason]
    public var message: String?
    /// Failed because an input's cached object was damaged (it was dropped), or skipped because
    /// such a node was: the engine builds it in another pass of the same build.
    public var awaitsRetry = false
}

public struct BuildResult: Sendable {
    /// In the order the nodes finished.
    public var nodes: [NodeResult]
    public var wallSeconds: Double
    public var interrupted: Bool

    public var failures: [NodeResult] { nodes.filter { $0.status == .failed } }
    public func count(_ status: NodeStatus) -> Int { nodes.filter { $0.status == status && !$0.id.isFile }.count }
    public func result(for id: NodeID) -> NodeResult? { nodes.first { $0.id == id } }
}

public struct BuildOptions: Sendable {
    public var jobs: Int
    public var dryRun: Bool
    public var keepGoing: Bool

    public init(jobs: Int, dryRun: Bool = false, keepGoing: Bool = false) {
        self.jobs = max(1, jobs)
        self.dryRun = dryRun
        self.keepGoing = keepGoing
    }
}
