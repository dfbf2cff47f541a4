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

/// The last trace per node id, one file each under `traces/`, with a `"format": 1` field beside
/// the trace's own. A trace without it (written by an older ntsbuild), of another version or
/// unreadable is treated as absent: the node's next build explains itself as never built and
/// writes a current trace.
public struct TraceStore: Sendable {
    public let directory: String
    let fs: FileSystem
    static let format = 1

    /// What is on disk for a node.
    public enum Reading: Sendable {
        case absent
        case current(Trace)
        /// There is a file, but not one this version reads; `problem` says why.
        case unreadable(path: String, problem: String)

        public var trace: Trace? {
            if case .current(let trace) = self { return trace }
            return nil
        }
    }

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
    }

    func path(of id: NodeID) -> String {
        directory + "/" + id.raw.replacingOccurrences(of: "/", with: "%2F") + ".json"
    }

    public func load(_ id: NodeID) -> Trace? { read(id).trace }

    public func read(_ id: NodeID) -> Reading {
        let path = path(of: id)
        guard let data = try? fs.read(path) else { return .absent }
        struct Version: Decodable { var format: Int? }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            return .unreadable(path: path, problem: "unreadable")
        }
        guard let format = version.format else { return .unreadable(path: path, problem: "no format version (written by an older ntsbuild)") }
        guard format == Self.format else { return .unreadable(path: path, problem: "format version \(format) is not one this ntsbuild reads (\(Self.format))") }
        guard let trace = try? JSONDecoder().decode(Trace.self, from: data) else { return .unreadable(path: path, problem: "unreadable") }
        return .current(trace)
    }

    public func save(_ trace: Trace, for id: NodeID) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try fs.writeAtomically(try encoder.encode(Versioned(format: Self.format, trace: trace)), to: path(of: id))
    }

    public func remove(_ id: NodeID) throws { try fs.remove(path(of: id)) }
}

/// A trace's fields and `format` in one JSON object.
private struct Versioned: Encodable {
    var format: Int
    var trace: Trace
    enum Key: CodingKey { case format }

    func encode(to encoder: Encoder) throws {
        try trace.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(format, forKey: .format)
    }
}
