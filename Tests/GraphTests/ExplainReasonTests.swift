import XCTest
@testable import Graph

/// One test per explain reason, on the words a user reads, with the old → new values.
final class ExplainReasonTests: XCTestCase {
    func chain(_ counter: RunCounter, text: String = "a", level: Int = 1) -> BuildGraph {
        var g = BuildGraph()
        g.add(JoinRecipe("a:1", inputs: [.file("src.txt")], text: text, level: level, counter: counter))
        g.add(JoinRecipe("b:1", inputs: ["a:1"], text: "b", counter: counter))
        return g
    }

    func explain(_ s: Sandbox, _ g: BuildGraph, dryRun: Bool = false) throws -> Recorder {
        let recorder = Recorder()
        _ = try s.engine().build(g, targets: ["b:1"], options: BuildOptions(jobs: 1, dryRun: dryRun), observer: recorder)
        return recorder
    }

    func built(_ s: Sandbox, _ counter: RunCounter) throws {
        s.write("src.txt", "hello")
        _ = try s.engine().build(chain(counter), targets: ["b:1"], options: BuildOptions(jobs: 1))
    }

    func testNeverBuilt() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        XCTAssertEqual(try explain(s, chain(counter)).reasons("a:1").map(\.description), ["never built"])
    }

    func testInputFileChangedNamesTheFileAndBothDigests() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        let old = Digest.of("hello"), new = Digest.of("world")
        s.write("src.txt", "world")
        XCTAssertEqual(try explain(s, chain(counter)).reasons("a:1").map(\.description),
                       ["input file src.txt changed (content \(old.short) → \(new.short))"])
    }

    func testConfigChangedNamesTheKeyWithOldAndNewValues() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        XCTAssertEqual(try explain(s, chain(counter, text: "z", level: 3)).reasons("a:1").map(\.description).sorted(),
                       ["config nested.level changed 1 → 3", "config text changed \"a\" → \"z\""])
    }

    func testInputNodeOutputChangedNamesTheNodeAndBothDigests() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        let before = s.engine().traces.load("a:1")!.output
        let recorder = try explain(s, chain(counter, level: 2))
        let after = s.engine().traces.load("a:1")!.output
        XCTAssertEqual(recorder.reasons("b:1").map(\.description), ["input a:1 changed (\(before.short) → \(after.short))"])
    }

    func testInputWillBeRebuiltInADryRun() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        let recorder = try explain(s, chain(counter, level: 2), dryRun: true)
        XCTAssertEqual(recorder.reasons("b:1").map(\.description), ["input a:1 will be rebuilt"])
    }

    func testRecipeVersionChanged() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        JoinRecipe.version = 5
        defer { JoinRecipe.version = 1 }
        XCTAssertEqual(try explain(s, chain(counter)).reasons("a:1").map(\.description), ["recipe version changed 1 → 5"])
    }

    func testOutputMissingFromTheCache() throws {
        let s = Sandbox(), counter = RunCounter()
        try built(s, counter)
        let engine = s.engine()
        try FileManager.default.removeItem(atPath: engine.store.path(of: engine.traces.load("b:1")!.output))
        XCTAssertEqual(try explain(s, chain(counter)).reasons("b:1").map(\.description), ["output missing from the cache"])
    }

    func testCycleIsReportedWithItsPath() {
        var g = BuildGraph()
        let counter = RunCounter()
        g.add(JoinRecipe("x:1", inputs: ["y:1"], counter: counter))
        g.add(JoinRecipe("y:1", inputs: ["z:1"], counter: counter))
        g.add(JoinRecipe("z:1", inputs: ["x:1"], counter: counter))
        XCTAssertThrowsError(try g.closure(of: ["x:1"])) { error in
            guard case GraphError.cycle(let path) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, ["x:1", "y:1", "z:1", "x:1"])
        }
    }

    func testDeepChainsDoNotOverflowTheStack() throws {
        var g = BuildGraph()
        let counter = RunCounter()
        g.add(JoinRecipe("n:0", inputs: [], counter: counter))
        for i in 1..<50_000 { g.add(JoinRecipe("n:\(i)", inputs: [NodeID("n:\(i - 1)")], counter: counter)) }
        XCTAssertEqual(try g.closure(of: ["n:49999"]).count, 50_000)
    }

    func testCanonicalParamsFlattenNestedArraysAndOptionals() throws {
        struct Inner: Codable { var seed: Int; var gain: Double }
        struct P: Codable { var renderScale: Double; var name: String; var anchors: [Inner]; var empty: [Int]; var missing: Int?; var flag: Bool }
        let flat = try CanonicalParams.flatten(P(renderScale: 0.5, name: "a\"b", anchors: [.init(seed: 7, gain: 2)], empty: [], missing: nil, flag: true))
        XCTAssertEqual(flat, ["render_scale": "0.5", "name": "\"a\\\"b\"", "anchors.0.seed": "7", "anchors.0.gain": "2", "empty": "[]", "flag": "true"])
    }
}
