import Foundation
@testable import Graph

/// A recipe that concatenates its inputs' bytes with a parameter, counting how often it runs.
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [NodeID: Int] = [:]
    func hit(_ id: NodeID) { lock.lock(); counts[id, default: 0] += 1; lock.unlock() }
    func count(_ id: NodeID) -> Int { lock.lock(); defer { lock.unlock() }; return counts[id] ?? 0 }
    var total: Int { lock.lock(); defer { lock.unlock() }; return counts.values.reduce(0, +) }
    func reset() { lock.lock(); counts = [:]; lock.unlock() }
}

struct JoinRecipe: Recipe {
    struct Params: Codable, Equatable { var text: String; var nested: Nested }
    struct Nested: Codable, Equatable { var level: Int }
    static let kind = "join"
    static var version = 1

    let id: NodeID
    let inputs: [NodeID]
    let params: Params
    let counter: RunCounter
    /// Output ignores the params when true, to test early cutoff.
    var constantOutput = false
    var fail = false

    init(_ id: String, inputs: [NodeID] = [], text: String = "", level: Int = 0, counter: RunCounter) {
        self.id = NodeID(id)
        self.inputs = inputs
        self.params = Params(text: text, nested: Nested(level: level))
        self.counter = counter
    }

    func make(_ context: BuildContext) throws -> String {
        counter.hit(id)
        if fail { throw GraphError.nodeFailed(id, message: "told to fail") }
        var data = Data()
        for input in inputs { data.append(try Data(contentsOf: URL(fileURLWithPath: context.path(of: input)))) }
        if !constantOutput { data.append(Data("\(params.text)/\(params.nested.level);".utf8)) }
        let path = context.temporaryPath()
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}

/// A throwaway project folder with a cache.
struct Sandbox {
    let root: String
    init() {
        root = NSTemporaryDirectory() + "ntsbuild-graph-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) {
        FileManager.default.createFile(atPath: root + "/" + name, contents: Data(text.utf8))
    }
    func engine() -> Engine { Engine(projectRoot: root, cacheDirectory: root + "/cache") }
}

final class Recorder: BuildObserver {
    var events: [BuildEvent] = []
    func handle(_ event: BuildEvent) { events.append(event) }
    func reasons(_ id: NodeID) -> [Reason] {
        for e in events {
            if case .started(id, let r, _) = e { return r }
            if case .wouldRun(id, let r) = e { return r }
        }
        return []
    }
}
