import Foundation
import XCTest
@testable import Graph

/// Critical path first, with costs learned from earlier runs' timings.
final class SchedulingTests: XCTestCase {
    struct SleepRecipe: Recipe {
        struct Params: Codable { var milliseconds: Int }
        static let kind = "sleep"
        nonisolated(unsafe) static var version = 1
        let id: NodeID
        let inputs: [NodeID]
        let params: Params
        func make(_ context: BuildContext) throws -> String {
            Thread.sleep(forTimeInterval: Double(params.milliseconds) / 1000)
            let path = context.temporaryPath()
            FileManager.default.createFile(atPath: path, contents: Data("\(id.raw)\(Self.version)".utf8))
            return path
        }
    }

    final class StartOrder: BuildObserver {
        var started: [NodeID] = []
        func handle(_ event: BuildEvent) { if case .started(let id, _, _) = event { started.append(id) } }
    }

    func testTheNodeThatTookLongestLastTimeStartsFirst() throws {
        let s = Sandbox()
        s.write("src.txt", "x")
        var g = BuildGraph()
        g.add(SleepRecipe(id: "a:quick", inputs: [.file("src.txt")], params: .init(milliseconds: 1)))
        g.add(SleepRecipe(id: "z:slow", inputs: [.file("src.txt")], params: .init(milliseconds: 80)))
        let first = StartOrder()
        _ = try s.engine().build(g, targets: ["a:quick", "z:slow"], options: BuildOptions(jobs: 1), observer: first)
        XCTAssertEqual(first.started, ["a:quick", "z:slow"], "no timings yet: equal estimates, graph order")

        SleepRecipe.version = 2  // every key changes, the recorded timings stay
        defer { SleepRecipe.version = 1 }
        let second = StartOrder()
        _ = try s.engine().build(g, targets: ["a:quick", "z:slow"], options: BuildOptions(jobs: 1), observer: second)
        XCTAssertEqual(second.started, ["z:slow", "a:quick"], "the slow node is the critical path now")
    }
}
