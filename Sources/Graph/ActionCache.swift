import Foundation

/// What one run of a recipe produced, stored under its key.
public struct ActionRecord: Codable, Sendable {
    public var output: Digest
    public var size: Int
    public var seconds: Double
}

/// Maps an action key (kind, version, params, input digests) to the output it produced.
/// One small file per key, written atomically.
public struct ActionCache: Sendable {
    public let directory: String
    let fs: FileSystem

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
    }

    func path(of key: Digest) -> String { "\(directory)/\(key.hex.prefix(2))/\(key.hex)" }

    public func lookup(_ key: Digest) -> ActionRecord? {
        guard let data = try? fs.read(path(of: key)) else { return nil }
        return try? JSONDecoder().decode(ActionRecord.self, from: data)
    }

    public func record(_ record: ActionRecord, for key: Digest) throws {
        try fs.writeAtomically(try JSONEncoder().encode(record), to: path(of: key))
    }

    public func remove(_ key: Digest) throws { try fs.remove(path(of: key)) }
}
