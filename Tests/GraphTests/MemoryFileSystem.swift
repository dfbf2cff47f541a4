import Foundation
@testable import Graph

/// A file system held in memory that can be told to fail, like ninja's `VirtualFileSystem`:
/// the engine's whole cache lives in it, and `faults` make a chosen operation fail the way a disk
/// does. Every operation that changes something (a write, an append, a rename, a removal, a new
/// directory) gets the next number in `operations`, so a test can fail each one in turn.
final class MemoryFileSystem: FileSystem, @unchecked Sendable {
    enum Operation: String, CaseIterable { case write, append, rename, remove, makeDirectory }

    enum FaultKind: CaseIterable {
        /// ENOSPC on the chosen operation and every later write or append: the disk filled up.
        case noSpace
        /// EIO on the chosen operation only.
        case ioError
        /// A write or append keeps only the first half of its bytes, then fails; every later
        /// change fails too, as if the process died there and left the files as they were.
        case torn
    }

    struct Fault {
        var kind: FaultKind
        /// Fails the operation with this number, or, when nil, every operation that matches.
        var atOperation: Int?
        var only: Operation? = nil
        var pathContaining: String? = nil
    }

    struct File {
        var data: Data
        var inode: UInt64
        var modifiedNs: Int64
    }

    private let lock = NSLock()
    private var files: [String: File] = [:]
    private var directories: Set<String> = ["/"]
    private var nextInode: UInt64 = 1
    private var clock: Int64 = 1_000_000_000
    private var _operations = 0
    private var _faults: [Fault] = []
    /// Set once a fault has struck: ENOSPC from then on for `noSpace`, everything for `torn`.
    private var persistingFailure: FaultKind?
    private(set) var failuresInjected = 0

    var operations: Int { locked { _operations } }

    /// Replaces the faults and forgets any failure that outlives its operation.
    func inject(_ faults: [Fault]) {
        locked {
            _faults = faults
            persistingFailure = nil
        }
    }

    func contents(_ path: String) -> Data? { locked { files[path]?.data } }
    func allFiles() -> [String: Data] { locked { files.mapValues(\.data) } }

    /// Overwrites a file in place (new bytes, same inode), as a user or a failing disk would.
    func overwrite(_ path: String, with data: Data) {
        locked {
            clock += 1
            files[path] = File(data: data, inode: files[path]?.inode ?? newInode(), modifiedNs: clock)
            directories.insert(parent(of: path))
        }
    }

    // MARK: - FileSystem

    func read(_ path: String) throws -> Data {
        try locked {
            guard let file = files[path] else { throw GraphError.io(path: path, errno: ENOENT) }
            return file.data
        }
    }

    func readBlocks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let data = try read(path)
        // Blocks of an odd size, so a reader that assumes one block per file is caught.
        var offset = 0
        while offset < data.count {
            let end = min(offset + 7, data.count)
            try data[offset..<end].withUnsafeBytes { try body($0) }
            offset = end
        }
    }

    func writeNew(_ path: String, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try locked {
            guard directories.contains(parent(of: path)) else { throw GraphError.io(path: path, errno: ENOENT) }
            guard files[path] == nil else { throw GraphError.io(path: path, errno: EEXIST) }
            clock += 1
            files[path] = File(data: Data(), inode: newInode(), modifiedNs: clock)
        }
        do {
            try body { block in try self.change(.write, path) { file in file.data.append(contentsOf: block) } }
        } catch {
            // As `LocalFileSystem` does; after a crash (`torn`) nothing cleans up.
            locked { if persistingFailure != .torn { files[path] = nil } }
            throw error
        }
    }

    func openForAppending(_ path: String) throws -> any AppendingFile {
        try makeDirectory(parent(of: path))
        try locked {
            if files[path] == nil {
                clock += 1
                files[path] = File(data: Data(), inode: newInode(), modifiedNs: clock)
            }
        }
        return MemoryAppendingFile(fs: self, path: path)
    }

    func append(_ data: Data, to path: String) throws {
        try change(.append, path) { file in file.data.append(data) }
    }

    func moveIntoPlace(_ source: String, to path: String) throws {
        try locked {
            do {
                try strike(.rename, path, partial: nil)
            } catch {
                // As `LocalFileSystem` does; after a crash (`torn`) nothing cleans up.
                if persistingFailure != .torn { files[source] = nil }
                throw error
            }
            guard let file = files[source] else { throw GraphError.io(path: path, errno: ENOENT) }
            guard directories.contains(parent(of: path)) else { throw GraphError.io(path: path, errno: ENOENT) }
            files[source] = nil
            files[path] = file
        }
    }

    func status(_ path: String) -> FileStatus? {
        locked {
            files[path].map { FileStatus(size: Int64($0.data.count), modifiedNs: $0.modifiedNs, changedNs: $0.modifiedNs, inode: $0.inode) }
        }
    }

    func list(_ directory: String) -> [String] {
        locked {
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            let names = (Array(files.keys) + Array(directories)).compactMap { path -> String? in
                guard path.hasPrefix(prefix) else { return nil }
                let rest = path.dropFirst(prefix.count)
                return rest.isEmpty ? nil : String(rest.prefix { $0 != "/" })
            }
            return Array(Set(names))
        }
    }

    func exists(_ path: String) -> Bool { locked { files[path] != nil || directories.contains(path) } }

    func remove(_ path: String) throws {
        try locked {
            guard files[path] != nil || directories.contains(path) else { return }
            try strike(.remove, path, partial: nil)
            files[path] = nil
            let prefix = path + "/"
            files = files.filter { !$0.key.hasPrefix(prefix) }
            directories = directories.filter { $0 != path && !$0.hasPrefix(prefix) }
        }
    }

    func makeDirectory(_ path: String) throws {
        try locked {
            guard !directories.contains(path) else { return }
            try strike(.makeDirectory, path, partial: nil)
            var current = path
            while current != "/" && !current.isEmpty {
                directories.insert(current)
                current = parent(of: current)
            }
        }
    }

    func lockFile(_ path: String) throws -> any FileLock {
        try makeDirectory(parent(of: path))
        return MemoryFileLock()
    }

    // MARK: - Faults

    /// Applies a change to an existing file unless a fault strikes it; a torn write keeps the
    /// first half of what `apply` would have added.
    private func change(_ operation: Operation, _ path: String, _ apply: (inout File) -> Void) throws {
        try locked {
            guard var file = files[path] else { throw GraphError.io(path: path, errno: ENOENT) }
            var changed = file
            apply(&changed)
            let added = changed.data.suffix(from: file.data.count)
            try strike(operation, path, partial: {
                file.data.append(added.prefix(added.count / 2))
                self.files[path] = file
            })
            clock += 1
            changed.modifiedNs = clock
            files[path] = changed
        }
    }

    /// Counts the operation and throws if a fault (or an earlier one that persists) strikes it.
    /// Called with `lock` held.
    private func strike(_ operation: Operation, _ path: String, partial: (() -> Void)?) throws {
        let number = _operations
        _operations += 1
        switch persistingFailure {
        case .torn?: throw GraphError.io(path: path, errno: EIO)
        case .noSpace? where operation == .write || operation == .append || operation == .makeDirectory:
            throw GraphError.io(path: path, errno: ENOSPC)
        default: break
        }
        guard let fault = _faults.first(where: { fault in
            (fault.atOperation.map { $0 == number } ?? true)
                && (fault.only.map { $0 == operation } ?? true)
                && (fault.pathContaining.map { path.contains($0) } ?? true)
        }) else { return }
        failuresInjected += 1
        switch fault.kind {
        case .noSpace:
            persistingFailure = .noSpace
            throw GraphError.io(path: path, errno: ENOSPC)
        case .ioError:
            throw GraphError.io(path: path, errno: EIO)
        case .torn:
            partial?()
            persistingFailure = .torn
            throw GraphError.io(path: path, errno: EIO)
        }
    }

    // MARK: - Helpers

    private func parent(of path: String) -> String {
        let p = (path as NSString).deletingLastPathComponent
        return p.isEmpty ? "/" : p
    }

    private func newInode() -> UInt64 {
        nextInode += 1
        return nextInode
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

final class MemoryAppendingFile: AppendingFile, @unchecked Sendable {
    let fs: MemoryFileSystem
    let path: String
    init(fs: MemoryFileSystem, path: String) {
        self.fs = fs
        self.path = path
    }
    func append(_ data: Data) throws { try fs.append(data, to: path) }
}

/// One process holds every lock it asks for: the memory file system is never shared.
final class MemoryFileLock: FileLock, @unchecked Sendable {
    func lock(exclusive: Bool, wait: Bool) throws -> Bool { true }
    func unlock() {}
}
