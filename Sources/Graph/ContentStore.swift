import Foundation

/// Content-addressed store: every output lives under `objects/ab/<digest>` named by its own
/// XXH3-128 hash. Objects are immutable; a new one is written to a temporary file and renamed
/// into place, so a crash never leaves a partial object under a real name.
public struct ContentStore: Sendable {
    public let directory: String
    let fs: FileSystem

    /// An open descriptor of `directory`, so that checking an object is one `fstatat` of
    /// `ab/<hex>` instead of a walk down the whole path (the bulk of a no-op build's syscalls).
    private let directoryHandle: DirectoryHandle

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
        directoryHandle = DirectoryHandle(path: directory)
    }

    public func path(of digest: Digest) -> String {
        let hex = digest.hex
        return "\(directory)/\(hex.prefix(2))/\(hex)"
    }

    public func contains(_ digest: Digest) -> Bool { fs.exists(path(of: digest)) }

    /// Size in bytes, or nil when the object is absent.
    public func size(of digest: Digest) -> Int? {
        // stat(2) directly: FileManager's attribute dictionary costs ~10 µs per object on a no-op build.
        var st = stat()
        let hex = digest.hex
        let relative = "\(hex.prefix(2))/\(hex)"
        let found = directoryHandle.descriptor >= 0
            ? fstatat(directoryHandle.descriptor, relative, &st, 0) == 0
            : stat(path(of: digest), &st) == 0
        return found ? Int(st.st_size) : nil
    }

    /// Hashes a finished file and moves it into the store. Returns its digest.
    ///
    /// The new file is renamed over whatever already has the digest's name, never dropped in its
    /// favour: a file under that name is only a claim (it may have been truncated, flipped or
    /// edited since it was written), while these bytes were hashed a moment ago. rename(2) is
    /// atomic, and a reader that has the old file open keeps reading the old inode.
    public func insert(fileAt source: String) throws -> Digest {
        let digest = try Hasher128.hashFile(atPath: source)
        let target = path(of: digest)
        try fs.makeDirectory((target as NSString).deletingLastPathComponent)
        try fs.moveIntoPlace(source, to: target)
        return digest
    }

    /// Re-hashes an object; a corrupt one is removed so that it gets rebuilt. Two nodes of one
    /// build may check the same damaged input at once: when the other one removes the file first,
    /// it is absent (rebuilt like any missing input), not an error that fails this node.
    public func verify(_ digest: Digest) throws -> Bool {
        let p = path(of: digest)
        guard fs.exists(p) else { return false }
        let actual: Digest
        do {
            actual = try Hasher128.hashFile(atPath: p)
        } catch {
            if !fs.exists(p) { return false }
            throw error
        }
        if actual == digest { return true }
        do {
            try fs.remove(p)
        } catch {
            if fs.exists(p) { throw error }
        }
        return false
    }
}

/// A directory kept open for `*at` system calls; -1 when it did not exist when opened.
final class DirectoryHandle: @unchecked Sendable {
    let descriptor: Int32
    init(path: String) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }
    deinit { if descriptor >= 0 { close(descriptor) } }
}
