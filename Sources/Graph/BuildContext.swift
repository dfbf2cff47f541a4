import Foundation

/// What a recipe sees while it makes its output: its inputs' files and digests, a place for
/// temporary files, a progress callback, and whether the build has been asked to stop.
public final class BuildContext: @unchecked Sendable {
    public let id: NodeID
    public let projectRoot: String
    private let inputPaths: [NodeID: String]
    private let inputDigests: [NodeID: Digest]
    private let temporaryDirectory: String
    private let onProgress: (Int, Int, String?) -> Void
    private let cancelled: () -> Bool
    private var temporaries: [String] = []

    init(id: NodeID, projectRoot: String, inputPaths: [NodeID: String], inputDigests: [NodeID: Digest],
         temporaryDirectory: String, onProgress: @escaping (Int, Int, String?) -> Void, cancelled: @escaping () -> Bool) {
        self.id = id
        self.projectRoot = projectRoot
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

    func removeTemporaries(except keep: String?) {
        for p in temporaries where p != keep { try? FileManager.default.removeItem(atPath: p) }
    }
}
