import Foundation

/// What a recipe sees while it makes its output: its inputs' files and digests, a place for
/// temporary files, a progress callback, and whether the build has been asked to stop.
public final class BuildContext: @unchecked Sendable {
    public let id: NodeID
    public let projectRoot: String
    /// The engine's file system. Recipes that write with ordinary file APIs work on the real
    /// disk; a recipe that writes through this one also works on a test's file system.
    public let fileSystem: FileSystem
    private let inputPaths: [NodeID: String]
    private let inputDigests: [NodeID: Digest]
    private let temporaryDirectory: String
    private let onProgress: (Int, Int, String?) -> Void
    private let cancelled: () -> Bool
    private var temporaries: [String] = []

    init(id: NodeID, projectRoot: String, fileSystem: FileSystem, inputPaths: [NodeID: String], inputDigests: [NodeID: Digest],
         temporaryDirectory: String, onProgress: @escaping (Int, Int, String?) -> Void, cancelled: @escaping () -> Bool) {
        self.id = id
        self.projectRoot = projectRoot
        self.fileSystem = fileSystem
        self.inputPaths = inputPaths
        self.inputDigests = inputDigests
        self.temporaryDirectory = temporaryDirectory
        self.onProgress = onProgress
        self.cancelled = cancelled
    }

    /// The file holding an input's output: the source file itself, or the object in the store.
    public func path(of input: NodeID) -> String {
        guard let p = inputPaths[input] else { preconditionFailure("\(id) reads \(input), which it did not declare as an input") }
        return p
    }

    public func digest(of input: NodeID) -> Digest {
        guard let d = inputDigests[input] else { preconditionFailure("\(id) reads \(input), which it did not declare as an input") }
        return d
    }

    /// A fresh path in the cache's temporary directory (same file system as the store, so the
    /// finished file can be renamed into it).
    public func temporaryPath(suffix: String = "") -> String {
        let p = "\(temporaryDirectory)/\(UUID().uuidString)\(suffix)"
        temporaries.append(p)
        return p
    }

    /// `detail` is a short status for the progress line, e.g. a fit's current loss.
    public func reportProgress(done: Int, total: Int, detail: String? = nil) { onProgress(done, total, detail) }

    /// True once the user asked to stop (Ctrl-C): long recipes should throw `GraphError.interrupted`.
    public var isCancelled: Bool { cancelled() }

    public func checkCancellation() throws {
        if cancelled() { throw GraphError.interrupted }
    }

    /// What a recipe's error says, without the cache's internal paths, which mean nothing to the
    /// user: a temporary file is this node's output in the making and an input's object is that
    /// input's output, so each is named by its node. An interruption or a damaged object passes
    /// unchanged: the engine acts on those.
    func userFacing(_ error: Error) -> Error {
        if let graphError = error as? GraphError {
            if case .interrupted = graphError { return error }
            if graphError.isDamagedObject { return error }
        }
        var text = String(describing: error)
        for path in temporaries.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: path, with: id.raw) }
        for (node, path) in inputPaths where !node.isFile { text = text.replacingOccurrences(of: path, with: node.raw) }
        // Temporaries a recipe named itself (beside one from temporaryPath()).
        text = text.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: temporaryDirectory) + "/[^\\s:'\"(),]*", with: id.raw, options: .regularExpression)
        // Every report already starts with the failing node's id.
        if text.hasPrefix(id.raw + ": ") { text.removeFirst(id.raw.count + 2) }
        return RecipeError(description: text)
    }

    /// Removes every temporary handed out: the output has been moved into the store by now
    /// (or the recipe failed), so what is left is scratch.
    func removeTemporaries() {
        for p in temporaries { try? fileSystem.remove(p) }
    }
}

/// A recipe's failure as one line for the user (see `BuildContext.userFacing`).
struct RecipeError: Error, CustomStringConvertible {
    let description: String
}
