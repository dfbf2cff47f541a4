import Foundation

/// Content-addressed store: every output lives under `objects/ab/<digest>` named by its own
/// XXH3-128 hash. Objects are immutable; a new one is written to a temporary file and renamed
/// into place, so a crash never leaves a partial object under a real name.
public struct ContentStore: Sendable {
    public let directory: String
    let fs: FileSystem

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
    }

    public func path(of digest: Digest) -> String {
        let hex = digest.hex
        return "\(directory)/\(hex.prefix(2))/\(hex)"
    }

    public func contains(_ digest: Digest) -> Bool { fs.exists(path(of: digest)) }

    /// Size in bytes, or nil when the object is absent.
    public func size(of digest: Digest) -> Int? {
        fs.status(path(of: digest)).map { Int($0.size) }
    }

    /// Hashes a finished file and moves it into the store. Returns its digest.
    ///
    /// The new file is renamed over whatever already has the digest's name, never dropped in its
    /// favour: a file under that name is only a claim (it may have been truncated, flipped or
    /// edited since it was written), while these bytes were hashed a moment ago. rename(2) is
    /// atomic, and a reader that has the old file open keeps reading the old inode.
    public func insert(fileAt source: String) throws -> Digest {
        let digest = try fs.digest(of: source)
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
            actual = try fs.digest(of: p)
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
