import Foundation

/// A cache shared by several machines, in the layout of Bazel's HTTP cache: action entries
/// under `ac/<key>`, objects under `cas/<digest>`. Read-through: a node missing from the local
/// cache is looked up there before it runs, and what comes down is re-hashed before it is used.
/// Write-behind: a built node's object goes up, then its entry (never an entry before its
/// object). Keys are sound (every value a node reads is in its key), which is what makes sharing
/// outputs between machines safe.
public protocol RemoteCache: Sendable {
    /// A description for messages (a path or URL without credentials).
    var name: String { get }
    func lookup(_ key: Digest) throws -> RemoteEntry?
    /// Writes the object's bytes to `path` (a new file).
    func download(_ digest: Digest, to path: String) throws
    /// Puts the file up under its digest; with `replacing`, over a damaged copy already there.
    func upload(_ path: String, as digest: Digest, replacing: Bool) throws
    func publish(_ entry: RemoteEntry, for key: Digest) throws
}

/// An action entry of the remote cache: what the key's node made.
public struct RemoteEntry: Codable, Equatable, Sendable {
    public var output: Digest
    public var size: Int
    public var kind: String

    public init(output: Digest, size: Int, kind: String) {
        self.output = output
        self.size = size
        self.kind = kind
    }
}

/// How a build uses a remote cache.
public struct RemoteCacheOptions: Sendable {
    public var cache: RemoteCache
    /// False for read-only users (`--remote-upload=false`).
    public var upload: Bool

    public init(cache: RemoteCache, upload: Bool = true) {
        self.cache = cache
        self.upload = upload
    }
}

/// What a build moved through the remote cache, for the summary.
public struct RemoteTraffic: Sendable, Equatable {
    public var fetched = 0
    public var bytesDown = 0
    public var uploaded = 0
    public var bytesUp = 0
    public init() {}
}

/// A remote cache on a shared file system (NFS, Lustre scratch): the same layout as the HTTP
/// one, every file written under a temporary name in its folder and renamed into place, so a
/// reader on another machine sees a whole file or none.
public struct DirectoryRemoteCache: RemoteCache {
    public let root: String
    let fs: FileSystem

    public init(root: String, fs: FileSystem = LocalFileSystem()) {
        self.root = root
        self.fs = fs
    }

    public var name: String { root }
    func entryPath(_ key: Digest) -> String { root + "/ac/" + key.hex }
    func objectPath(_ digest: Digest) -> String { root + "/cas/" + digest.hex }

    public func lookup(_ key: Digest) throws -> RemoteEntry? {
        let path = entryPath(key)
        guard fs.exists(path) else { return nil }
        guard let entry = try? JSONDecoder().decode(RemoteEntry.self, from: fs.read(path)) else {
            throw GraphError.io(path: path, reason: "not an action entry")
        }
        return entry
    }

    public func download(_ digest: Digest, to path: String) throws {
        let source = objectPath(digest)
        guard fs.exists(source) else { throw GraphError.io(path: source, reason: "missing from the remote cache") }
        try fs.writeNew(path) { write in try fs.readBlocks(source) { try write($0) } }
    }

    public func upload(_ path: String, as digest: Digest, replacing: Bool) throws {
        let target = objectPath(digest)
        if fs.exists(target) && !replacing { return }
        try fs.makeDirectory(root + "/cas")
        let temporary = root + "/cas/.tmp-" + UUID().uuidString
        try fs.writeNew(temporary) { write in try fs.readBlocks(path) { try write($0) } }
        try fs.moveIntoPlace(temporary, to: target)
    }

    public func publish(_ entry: RemoteEntry, for key: Digest) throws {
        try fs.writeAtomically(try JSONEncoder().encode(entry), to: entryPath(key))
    }
}
