import Foundation

/// The few file operations the engine needs, behind a seam so tests can inject faults
/// (a full disk, a crash between write and rename).
public protocol FileSystem: Sendable {
    func read(_ path: String) throws -> Data
    /// Writes `data` to a temporary file beside `path`, then renames it over `path`: a reader
    /// sees the old content or the new, never a partial file.
    func writeAtomically(_ data: Data, to path: String) throws
    /// Moves a finished file into place (same file system), replacing what is there.
    func moveIntoPlace(_ source: String, to path: String) throws
    func exists(_ path: String) -> Bool
    func remove(_ path: String) throws
    func makeDirectory(_ path: String) throws
}

public struct LocalFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    public func writeAtomically(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try makeDirectory(dir)
        let temp = dir + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw GraphError.io(path: path, reason: "cannot write (disk full or no permission?)")
        }
        try moveIntoPlace(temp, to: path)
    }

    public func moveIntoPlace(_ source: String, to path: String) throws {
        // rename(2) is atomic and replaces an existing file, unlike FileManager.moveItem.
        guard rename(source, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(source)
            throw GraphError.io(path: path, reason: reason)
        }
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public func remove(_ path: String) throws {
        if exists(path) { try FileManager.default.removeItem(atPath: path) }
    }

    public func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
