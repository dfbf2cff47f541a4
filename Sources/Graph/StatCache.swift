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

    private let path: String
    private let fs: FileSystem
    private var entries: [String: Entry]
    private var dirty = false
    private let lock = NSLock()

    public init(path: String, fs: FileSystem) {
        self.path = path
        self.fs = fs
        if let data = try? fs.read(path), let decoded = try? JSONDecoder().decode([String: Entry].self, from: data) {
            entries = decoded
        } else {
            entries = [:]
        }
    }

    /// The content digest of the file at `absolutePath` (cached under `key`), or nil if it does not exist.
    public func digest(key: String, absolutePath: String) throws -> Digest? {
        var st = stat()
        guard stat(absolutePath, &st) == 0 else { return nil }
        let probe = Entry(
            size: Int64(st.st_size),
            mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
            ctimeNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
            inode: UInt64(st.st_ino),
            digest: Digest(high: 0, low: 0))
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let c = cached, c.size == probe.size, c.mtimeNs == probe.mtimeNs, c.ctimeNs == probe.ctimeNs, c.inode == probe.inode {
            return c.digest
        }
        var entry = probe
        entry.digest = try Hasher128.hashFile(atPath: absolutePath)
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
        try fs.writeAtomically(try encoder.encode(entries), to: path)
        dirty = false
    }
}
