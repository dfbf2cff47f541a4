import Foundation

/// Everything that went into a node's key, kept un-hashed for the node's last build, so that
/// `--explain` can say which parameter or input changed and from what to what.
public struct Trace: Codable, Equatable, Sendable {
    public var kind: String
    /// The versions of the code that made the output: the recipe's own and its components'.
    public var code: [String: Int]
    public var key: Digest
    public var params: [String: String]
    /// Input node id → its output digest at the time.
    public var inputs: [String: Digest]
    public var output: Digest
    public var seconds: Double
}

/// The last trace per node id, one file each under `traces/`.
public struct TraceStore: Sendable {
    public let directory: String
    let fs: FileSystem

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
    }

    func path(of id: NodeID) -> String {
        directory + "/" + id.raw.replacingOccurrences(of: "/", with: "%2F") + ".json"
    }

    public func load(_ id: NodeID) -> Trace? {
        guard let data = try? fs.read(path(of: id)) else { return nil }
        return try? JSONDecoder().decode(Trace.self, from: data)
    }

    public func save(_ trace: Trace, for id: NodeID) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try fs.writeAtomically(try encoder.encode(trace), to: path(of: id))
    }

    public func remove(_ id: NodeID) throws { try fs.remove(path(of: id)) }
}
