import Foundation

/// An advisory lock on the cache (`flock(2)` on `cache/lock`): builds hold it shared, so several
/// `ntsbuild` processes can build into one cache at once (objects are renamed into place and log
/// lines are appended atomically), while `cache gc`, `cache verify`, `clean` and log compaction
/// hold it exclusively, because they delete what a build might be about to read.
/// The kernel releases it when the process dies, so a `kill -9` never leaves the cache locked.
public final class CacheLock: @unchecked Sendable {
    public enum Mode { case shared, exclusive }

    private let path: String
    private let fs: FileSystem
    private var file: (any FileLock)?
    public private(set) var mode: Mode?

    public init(cacheDirectory: String, fs: FileSystem = LocalFileSystem()) {
        path = cacheDirectory + "/lock"
        self.fs = fs
    }

    /// Takes the lock, waiting for other processes; `onWait` is called once if it has to wait.
    public func acquire(_ mode: Mode, onWait: (() -> Void)? = nil) throws {
        let file = try open()
        if try !file.lock(exclusive: mode == .exclusive, wait: false) {
            onWait?()
            _ = try file.lock(exclusive: mode == .exclusive, wait: true)
        }
        self.mode = mode
    }

    /// Takes the lock only if no other process holds it; true on success.
    public func tryAcquire(_ mode: Mode) throws -> Bool {
        guard try open().lock(exclusive: mode == .exclusive, wait: false) else { return false }
        self.mode = mode
        return true
    }

    public func release() {
        guard let file else { return }
        file.unlock()
        mode = nil
    }

    private func open() throws -> any FileLock {
        if let file { return file }
        let opened = try fs.lockFile(path)
        file = opened
        return opened
    }
}
