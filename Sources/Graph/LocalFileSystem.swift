import Foundation

/// The real disk, through POSIX calls: renames are atomic and replace, descriptors are opened
/// with O_CLOEXEC so a child process (ffmpeg) never inherits one, and nothing is `fsync`ed.
public struct LocalFileSystem: FileSystem {
    /// Large enough that hashing runs at memory speed, small enough to stay in cache.
    static let blockSize = 1 << 20

    public init() {}

    public func read(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    public func readBlocks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw GraphError.io(path: path, errno: errno) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw GraphError.io(path: path, errno: errno) }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    public func writeNew(_ path: String, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GraphError.io(path: path, errno: errno) }
        do {
            defer { close(descriptor) }
            try body { block in try Self.writeAll(descriptor, block, path: path) }
        } catch {
            unlink(path)
            throw error
        }
    }

    public func openForAppending(_ path: String) throws -> any AppendingFile {
        try makeDirectory((path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GraphError.io(path: path, errno: errno) }
        return LocalOpenFile(path: path, descriptor: descriptor)
    }

    public func moveIntoPlace(_ source: String, to path: String) throws {
        // rename(2) is atomic and replaces an existing file, unlike FileManager.moveItem.
        guard rename(source, path) == 0 else {
            let code = errno
            unlink(source)
            throw GraphError.io(path: path, errno: code)
        }
    }

    public func status(_ path: String) -> FileStatus? {
        // stat(2) directly: FileManager's attribute dictionary costs ~10 µs per file.
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStatus(size: Int64(st.st_size),
                          modifiedNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                          changedNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                          inode: UInt64(st.st_ino))
    }

    public func list(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public func remove(_ path: String) throws {
        if exists(path) { try FileManager.default.removeItem(atPath: path) }
    }

    public func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func lockFile(_ path: String) throws -> any FileLock {
        try makeDirectory((path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GraphError.io(path: path, errno: errno) }
        return LocalOpenFile(path: path, descriptor: descriptor)
    }

    static func writeAll(_ descriptor: Int32, _ block: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < block.count {
            let written = write(descriptor, block.baseAddress! + offset, block.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw GraphError.io(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write (disk full?)") }
            offset += written
        }
    }
}

/// An open descriptor, closed with this object. Opened `O_APPEND` it appends each record with
/// one `write(2)`, atomic between processes; opened for locking it takes `flock(2)`, which the
/// kernel drops when the process dies, so a `kill -9` never leaves the cache locked.
final class LocalOpenFile: AppendingFile, FileLock, @unchecked Sendable {
    let path: String
    let descriptor: Int32

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func append(_ data: Data) throws {
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw GraphError.io(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write (disk full?)")
        }
    }

    func lock(exclusive: Bool, wait: Bool) throws -> Bool {
        let operation = exclusive ? LOCK_EX : LOCK_SH
        if flock(descriptor, operation | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK else { throw GraphError.io(path: path, errno: errno) }
        guard wait else { return false }
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { throw GraphError.io(path: path, errno: errno) }
        }
        return true
    }

    func unlock() { flock(descriptor, LOCK_UN) }
}

extension GraphError {
    /// A failed system call on `path`, in the C library's words ("No space left on device").
    static func io(path: String, errno code: Int32) -> GraphError {
        .io(path: path, reason: String(cString: strerror(code)))
    }
}
