import Foundation

/// An advisory lock on the cache (`flock(2)` on `cache/lock`): builds hold it shared, so several
/// `ntsbuild` processes can build into one cache at once (objects are renamed into place and log
/// lines are appended atomically), while `cache gc`, `cache verify`, `clean` and log compaction
/// hold it exclusively, because they delete what a build might be about to read.
/// The kernel releases it when the process dies, so a `kill -9` never leaves the cache locked.
public final class CacheLock: @unchecked Sendable {
    public enum Mode { case shared, exclusive }

    private let path: String
    private var descriptor: Int32 = -1
    public private(set) var mode: Mode?

    public init(cacheDirectory: String) {
        path = cacheDirectory + "/lock"
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Takes the lock, waiting for other processes; `onWait` is called once if it has to wait.
    public func acquire(_ mode: Mode, onWait: (() -> Void)? = nil) throws {
        try open()
        let operation = mode == .shared ? LOCK_SH : LOCK_EX
        if flock(descriptor, operation | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw GraphError.io(path: path, reason: String(cString: strerror(errno))) }
            onWait?()
            while flock(descriptor, operation) != 0 {
                guard errno == EINTR else { throw GraphError.io(path: path, reason: String(cString: strerror(errno))) }
            }
        }
        self.mode = mode
    }

    /// Takes the lock only if no other process holds it; true on success.
    public func tryAcquire(_ mode: Mode) throws -> Bool {
        try open()
        guard flock(descriptor, (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else { return false }
        self.mode = mode
        return true
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        mode = nil
    }

    private func open() throws {
        guard descriptor < 0 else { return }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        descriptor = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GraphError.io(path: path, reason: String(cString: strerror(errno))) }
    }
}
