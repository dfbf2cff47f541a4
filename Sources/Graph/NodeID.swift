/// The name of a node in the graph: `kind:rest`, e.g. `features:null-hypothesis`,
/// `frames:null-hypothesis:0007`, or `file:album/01.ogg` for a source file.
public struct NodeID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let raw: String

    public init(_ raw: String) { self.raw = raw }
    public init(stringLiteral value: String) { self.raw = value }

    /// A source file, by its path relative to the project root.
    public static func file(_ relativePath: String) -> NodeID { NodeID("file:" + relativePath) }

    public var kind: Substring { raw.prefix { $0 != ":" } }
    public var isFile: Bool { raw.utf8.starts(with: "file:".utf8) }
    /// For a file node, its relative path.
    public var filePath: String? { isFile ? String(raw.dropFirst(5)) : nil }

    public var description: String { raw }
    public static func < (a: NodeID, b: NodeID) -> Bool { a.raw < b.raw }

    public init(from decoder: Decoder) throws { raw = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(raw)
    }
}
