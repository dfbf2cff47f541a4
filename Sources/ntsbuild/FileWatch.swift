import Foundation

/// `--watch`: waits until one of the files changes (content time, size, inode, or it appears or
/// goes). Polled a few times a second, which every file system supports (inotify does not see
/// network mounts), and settled for a moment so an editor's save is one change, not several.
struct FileWatch {
    struct Stamp: Equatable {
        var modified: timespec
        var size: Int64
        var inode: UInt64
        static func == (a: Stamp, b: Stamp) -> Bool {
            a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec && a.size == b.size && a.inode == b.inode
        }
    }

    let paths: [String]
    static let pollInterval: TimeInterval = 0.25
    static let settle: TimeInterval = 0.2

    func snapshot() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            stamps[path] = Stamp(modified: info.st_mtim, size: Int64(info.st_size), inode: UInt64(info.st_ino))
        }
        return stamps
    }

    /// Blocks until a file differs from `before`; returns the files that changed.
    func waitForChange(since before: [String: Stamp]) -> [String] {
        while true {
            Thread.sleep(forTimeInterval: Self.pollInterval)
            let now = snapshot()
            guard now != before else { continue }
            Thread.sleep(forTimeInterval: Self.settle)
            return paths.filter { before[$0] != now[$0] }
        }
    }
}
