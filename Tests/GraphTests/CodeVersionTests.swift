import Foundation
import XCTest
@testable import Graph

/// Components declared by a recipe are folded into its key: bumping one re-runs exactly the
/// kinds that run it, and `--explain` names it.
final class CodeVersionTests: XCTestCase {
    struct KernelUser: Recipe {
        nonisolated(unsafe) static var kernel = 1
        static let kind = "user"
        static let version = 1
        static var components: [CodeVersion] { [CodeVersion("kernel", kernel), CodeVersion("codec", 3)] }
        let id: NodeID
        let params = ["p": 1]
        var inputs: [NodeID] { [] }
        func make(_ context: BuildContext) throws -> String {
            let path = context.temporaryPath()
            try Data("\(id) \(Self.kernel)".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    func testABumpedComponentRerunsTheKindsThatRunItAndIsNamed() throws {
        let s = Sandbox(), counter = RunCounter()
        var graph = BuildGraph()
        graph.add(KernelUser(id: "user:1"))
        graph.add(JoinRecipe("join:1", inputs: [.file("src.txt")], text: "x", counter: counter))
        s.write("src.txt", "hello")
        let targets: [NodeID] = ["user:1", "join:1"]
        _ = try s.engine().build(graph, targets: targets, options: BuildOptions(jobs: 1))

        KernelUser.kernel = 2
        defer { KernelUser.kernel = 1 }
        let recorder = Recorder()
        let result = try s.engine().build(graph, targets: targets, options: BuildOptions(jobs: 1), observer: recorder)
        XCTAssertEqual(result.result(for: "user:1")?.status, .built)
        XCTAssertEqual(result.result(for: "join:1")?.status, .reused, "a kind that does not run the kernel keeps its key")
        XCTAssertEqual(recorder.reasons("user:1").map(\.description), ["code of kernel changed: version 1 → 2"])
    }

    func testTheKeyFoldsEachComponentByNameNotBySum() {
        let key = { (code: [String: Int]) in ActionKey.compute(kind: "k", code: code, params: [:], inputs: [:]) }
        XCTAssertNotEqual(key(["recipe": 1, "a": 2]), key(["recipe": 2, "a": 1]))
        XCTAssertNotEqual(key(["recipe": 1, "a": 2]), key(["recipe": 1, "b": 2]))
        XCTAssertEqual(key(["recipe": 1, "a": 2, "b": 3]), key(["b": 3, "recipe": 1, "a": 2]))
    }
}
