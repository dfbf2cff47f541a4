import Foundation

/// Remembers each source file's content hash together with its stat (size, mtime and ctime in
/// nanoseconds, inode), so a file is re-hashed only when its stat changes. The content hash, not
/// the stat, decides staleness: touching a file costs one re-hash and rebuilds nothing.
public final class StatCache: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        var size: Int64
        var mtimeNs: Int64
        var ctimeNs: Int64
        var inode: UInt64
        var digest: Digest
    }

    /// The file on disk: `{"format": 1, "entries": {...}}`.
    struct Stored: Codable {
        var format: Int
        var entries: [String: Entry]
    }
    static let format = 1

    private let path: String
    private let fs: FileSystem
    private var entries: [String: Entry] = [:]
    private var dirty = false
    private let lock = NSLock()
    /// Why the file on disk was not read, if it was not; the engine reports it once.
    public private(set) var formatWarning: String?

    public init(path: String, fs: FileSystem) {
        self.path = path
        self.fs = fs
        guard let data = try? fs.read(path) else { return }
        // Only the version is decoded first, so a file of another version is named as such
        // rather than as garbage.
        struct Version: Decodable { var format: Int? }
        let version = try? JSONDecoder().decode(Version.self, from: data)
        if version?.format == Self.format, let stored = try? JSONDecoder().decode(Stored.self, from: data) {
            entries = stored.entries
            return
        }
        let problem = switch version?.format {
        case .some(let other) where other != Self.format: "format version \(other) is not one this ntsbuild reads (\(Self.format))"
        case .some: "unreadable"
        case .none: version == nil ? "unreadable" : "no format version (written by an older ntsbuild)"
        }
        formatWarning = "\(path): \(problem); every source file is hashed again and it is rewritten"
        // Rewritten at the end of the build even if no file's stat changed.
        dirty = true
    }

    /// The content digest of the file at `absolutePath` (cached under `key`), or nil if it does not exist.
    public func digest(key: String, absolutePath: String) throws -> Digest? {
        guard let status = fs.status(absolutePath) else { return nil }
        let probe = Entry(size: status.size, mtimeNs: status.modifiedNs, ctimeNs: status.changedNs, inode: status.inode,
                          digest: Digest(high: 0, low: 0))
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let c = cached, c.size == probe.size, c.mtimeNs == probe.mtimeNs, c.ctimeNs == probe.ctimeNs, c.inode == probe.inode {
            return c.digest
        }
        var entry = probe
        entry.digest = try fs.digest(of: absolutePath)
        lock.lock()
        entries[key] = entry
        dirty = true
        lock.unlock()
        return entry.digest
    }

    public func save() throws {
        lock.lock()
        defer { lock.unlock() }
        guard dirty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try fs.writeAtomically(try encoder.encode(Stored(format: Self.format, entries: entries)), to: path)
        dirty = false
    }
}
