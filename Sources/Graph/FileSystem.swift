import Foundation

/// Every file operation the engine makes, behind one seam: the content store, the action log,
/// the stat cache, traces, the cache lock, temporaries and the gc/verify listing all go through
/// it, so tests can hold the cache in memory and fail any single operation (a full disk, an I/O
/// error, a write cut short by a crash). `LocalFileSystem` is the real disk.
public protocol FileSystem: Sendable {
    func read(_ path: String) throws -> Data
    /// Reads a file front to back in blocks (for hashing and checked copies of large objects).
    func readBlocks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Writes `data` to a temporary file beside `path`, then renames it over `path`: a reader
    /// sees the old content or the new, never a partial file.
    func writeAtomically(_ data: Data, to path: String) throws
    /// Creates `path`, which must not exist, and fills it through the writer `body` is given.
    /// On any error the file is removed and the error rethrown.
    func writeNew(_ path: String, _ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws
    /// Opens a file (created if absent) for appending records, each with one write.
    func openForAppending(_ path: String) throws -> any AppendingFile
    /// Moves a finished file into place (same file system), replacing what is there.
    func moveIntoPlace(_ source: String, to path: String) throws
    /// Size, times and inode of a file, or nil when there is none.
    func status(_ path: String) -> FileStatus?
    /// The names in a directory (no `.`/`..`), in no particular order; empty when it is absent.
    func list(_ directory: String) -> [String]
    func exists(_ path: String) -> Bool
    /// Removes a file or directory tree; nothing happens when it is absent.
    func remove(_ path: String) throws
    /// Creates a directory and any missing parents.
    func makeDirectory(_ path: String) throws
    /// An advisory lock on the file at `path` (created if absent), shared between processes.
    func lockFile(_ path: String) throws -> any FileLock
}

/// What `status` reports: enough to tell that a file changed without reading it.
public struct FileStatus: Equatable, Sendable {
    public var size: Int64
    public var modifiedNs: Int64
    public var changedNs: Int64
    public var inode: UInt64

    public init(size: Int64, modifiedNs: Int64, changedNs: Int64, inode: UInt64) {
        self.size = size
        self.modifiedNs = modifiedNs
        self.changedNs = changedNs
        self.inode = inode
    }
}

/// A file open for appending. Each `append` is one write: between processes it lands whole or,
/// when the disk fills or the process dies mid-write, as a prefix that readers must ignore.
public protocol AppendingFile: AnyObject, Sendable {
    func append(_ data: Data) throws
}

/// A lock held through one open file. Closing it (or the process dying) releases it.
public protocol FileLock: AnyObject, Sendable {
    /// Takes the lock shared or exclusive. With `wait` false, returns false instead of waiting
    /// when another holder's mode conflicts.
    func lock(exclusive: Bool, wait: Bool) throws -> Bool
    func unlock()
}

extension FileSystem {
    /// Temp file beside `path`, then rename: built from the seam's own operations, so every file
    /// system replaces files the same way (and a test's fails the same way).
    public func writeAtomically(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try makeDirectory(dir)
        let temp = dir + "/.tmp-" + UUID().uuidString
        do {
            try writeNew(temp) { write in try data.withUnsafeBytes { try write($0) } }
        } catch GraphError.io(_, let reason) {
            // Named by the file the caller asked for, not the temporary.
            throw GraphError.io(path: path, reason: "cannot write (\(reason))")
        }
        try moveIntoPlace(temp, to: path)
    }

    /// The XXH3-128 of a file's bytes.
    public func digest(of path: String) throws -> Digest {
        let hasher = Hasher128()
        try readBlocks(path) { hasher.update($0) }
        return hasher.finalize()
    }
}
