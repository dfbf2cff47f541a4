import Foundation
import XCTest
@testable import Graph

/// A recipe that works wholly through the build's file system: it reads its inputs' objects,
/// checks each against the digest the engine gives for it (so a damaged object that reached a
/// recipe is caught), and writes the inputs' bytes followed by its text.
struct StoreJoinRecipe: Recipe {
    static let kind = "sjoin"
    static let version = 1
    let id: NodeID
    let inputs: [NodeID]
    let params: [String: String]
    var isDeliverable = false
    let damagedReads: DamagedReads

    func make(_ context: BuildContext) throws -> String {
        var data = Data()
        for input in inputs {
            let bytes = try context.fileSystem.read(context.path(of: input))
            if Digest.of(bytes) != context.digest(of: input) { damagedReads.note("\(id) read a damaged \(input)") }
            data.append(bytes)
        }
        data.append(Data("\(params["text"] ?? "")\n".utf8))
        let path = context.temporaryPath()
        try context.fileSystem.writeAtomically(data, to: path)
        return path
    }
}

/// What recipes read that did not match its digest; should stay empty.
final class DamagedReads: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []
    func note(_ text: String) { lock.lock(); notes.append(text); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return notes }
}

/// A small project (one source file, two leaves, a join, a deliverable on top) whose cache
/// lives in a `MemoryFileSystem`.
struct MemoryProject {
    static let root = "/project"
    static let cache = "/project/cache"
    static let target: NodeID = "sjoin:top"
    let fs = MemoryFileSystem()
    let damagedReads = DamagedReads()

    init() {
        fs.overwrite(Self.root + "/src.txt", with: Data("source bytes\n".utf8))
    }

    /// A new engine on the same files: what the next `ntsbuild` process sees.
    func engine() -> Engine { Engine(projectRoot: Self.root, cacheDirectory: Self.cache, fs: fs) }

    func graph(topText: String = "top") -> BuildGraph {
        var graph = BuildGraph()
        func add(_ id: String, _ inputs: [NodeID], _ text: String, deliverable: Bool = false) {
            graph.add(StoreJoinRecipe(id: NodeID(id), inputs: inputs, params: ["text": text], isDeliverable: deliverable, damagedReads: damagedReads))
        }
        add("sjoin:left", [.file("src.txt")], "left")
        add("sjoin:right", [.file("src.txt")], "right")
        add("sjoin:middle", ["sjoin:left", "sjoin:right"], "middle")
        add("sjoin:top", ["sjoin:middle"], topText, deliverable: true)
        return graph
    }

    @discardableResult
    func build(topText: String = "top", observer: BuildObserver? = nil) throws -> BuildResult {
        let engine = engine()
        defer { engine.close() }
        return try engine.build(graph(topText: topText), targets: [Self.target], options: BuildOptions(jobs: 1), observer: observer)
    }

    /// Each node's output bytes, read from the store by the digests the build reported.
    func outputs(of result: BuildResult) throws -> [NodeID: Data] {
        var outputs: [NodeID: Data] = [:]
        for node in result.nodes where !node.id.isFile {
            let digest = try XCTUnwrap(node.output, "\(node.id) has no output")
            outputs[node.id] = try fs.read(engine().store.path(of: digest))
        }
        return outputs
    }

    /// The warnings a build gave, as text.
    static func warnings(_ recorder: Recorder) -> [String] {
        recorder.events.compactMap { if case .warning(let id, let message) = $0 { return "\(id): \(message)" } else { return nil } }
    }
}
