import Foundation

/// A file the user named on the command line (`still -o`): written whole or not at all, and when
/// it cannot be, the reason in words rather than the nearest errno.
enum UserFile {
    static func write(_ data: Data, to path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UserFileError.isDirectory(path: path)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && !(fm.fileExists(atPath: parent, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw UserFileError.noSuchDirectory(path: path, directory: parent)
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            throw UserFileError.cannotWrite(path: path, reason: code.map { String(cString: strerror(Int32($0))) } ?? (error as NSError).localizedDescription)
        }
    }
}

public enum UserFileError: Error, CustomStringConvertible, Equatable {
    case isDirectory(path: String)
    case noSuchDirectory(path: String, directory: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .isDirectory(let path): return "\(path): is a directory (name a file to write)"
        case .noSuchDirectory(let path, let directory): return "\(path): no such directory \(directory)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        }
    }
}
