import Foundation
import Graph

/// A file's device, inode, size and change times: a new value whenever its bytes may have changed.
struct FileIdentity: Hashable, Codable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtimeNs: Int64
    var ctimeNs: Int64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        mtimeNs = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        ctimeNs = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
    }
}

/// Decoded lengths of audio files, by file version. The graph, the features, the track and the
/// album each open a track's file, and every command builds the graph; counting means decoding
/// the whole file (~0.4 s per 90 s of Vorbis), so it is done once per file version and kept in
/// the cache directory between runs, like the source files' content hashes.
public final class DecodedLengths: @unchecked Sendable {
    public static let shared = DecodedLengths()

    private struct Entry: Codable {
        var file: FileIdentity
        var frames: Int
        /// The decoding rules the length was counted under; entries of other rules are counted again.
        var rules: Int?
    }

    /// 2: MP3 is decoded by FFmpeg, to its real end (libsndfile stopped at its length estimate).
    static let rules = 2

    private var frames: [FileIdentity: Int] = [:]
    private var dirty = false
    private let lock = NSLock()

    /// Adds the lengths saved at `path`; a missing or unreadable file adds nothing.
    public func load(from path: String) {
        guard let data = FileManager.default.contents(atPath: path),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return }
        lock.lock()
        for entry in entries where entry.frames >= 0 && entry.rules == Self.rules { frames[entry.file] = entry.frames }
        lock.unlock()
    }

    /// Writes every known length to `path` (atomically) if any was counted since; best effort,
    /// since a cache that cannot be written only costs a recount.
    public func save(to path: String) {
        lock.lock()
        defer { lock.unlock() }
        guard dirty else { return }
        let entries = frames.map { Entry(file: $0.key, frames: $0.value, rules: Self.rules) }
        guard let data = try? JSONEncoder().encode(entries) else { return }
        if (try? LocalFileSystem().writeAtomically(data, to: path)) != nil { dirty = false }
    }

    func frames(of file: FileIdentity) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        return frames[file]
    }

    func remember(_ count: Int, of file: FileIdentity) {
        lock.lock()
        frames[file] = count
        dirty = true
        lock.unlock()
    }
}
