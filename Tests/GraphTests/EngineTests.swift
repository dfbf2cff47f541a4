import XCTest
@testable import Graph

final class EngineTests: XCTestCase {
    func graph(_ sandbox: Sandbox, _ counter: RunCounter, text: String = "a", level: Int = 1, bText: String = "b") -> BuildGraph {
        var g = BuildGraph()
        g.add(JoinRecipe("a:1", inputs: [.file("src.txt")], text: text, level: level, counter: counter))
        g.add(JoinRecipe("b:1", inputs: ["a:1"], text: bText, counter: counter))
        g.add(JoinRecipe("c:1", inputs: ["a:1", "b:1"], text: "c", counter: counter))
        return g
    }

    func testBuildsThenReusesEverything() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 2))
        XCTAssertEqual(first.count(.built), 3)
        XCTAssertEqual(counter.total, 3)
        let output = try String(contentsOfFile: s.engine().store.path(of: first.result(for: "c:1")!.output!), encoding: .utf8)
        XCTAssertEqual(output, "helloa/1;helloa/1;b/0;c/0;")
        let second = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 2))
        XCTAssertEqual(second.count(.built), 0)
        XCTAssertEqual(second.count(.reused), 3)
        XCTAssertEqual(counter.total, 3)
    }

    func testParamChangeRebuildsDependentsAndExplainsOldToNew() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        _ = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 1))
        counter.reset()
        let recorder = Recorder()
        let result = try s.engine().build(graph(s, counter, level: 7), targets: ["c:1"], options: BuildOptions(jobs: 1), observer: recorder)
        XCTAssertEqual(result.count(.built), 3)
        XCTAssertEqual(recorder.reasons("a:1"), [.configChanged(key: "nested.level", old: "1", new: "7")])
        XCTAssertEqual(recorder.reasons("a:1").first?.description, "config nested.level changed 1 → 7")
        guard case .inputChanged(let id, _, let old?, let new?) = recorder.reasons("b:1").first else { return XCTFail("b:1 should cite its input") }
        XCTAssertEqual(id, "a:1")
        XCTAssertNotEqual(old, new)
    }

    func testSourceFileChangeIsNamedWithDigests() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        _ = try s.engine().build(graph(s, counter), targets: ["a:1"], options: BuildOptions(jobs: 1))
        s.write("src.txt", "world")
        let recorder = Recorder()
        _ = try s.engine().build(graph(s, counter), targets: ["a:1"], options: BuildOptions(jobs: 1), observer: recorder)
        let reason = recorder.reasons("a:1")
        XCTAssertEqual(reason.count, 1)
        XCTAssertTrue(reason[0].description.hasPrefix("input file src.txt changed (content "), reason[0].description)
        XCTAssertTrue(reason[0].description.contains(" → "))
    }

    func testTouchingAFileRebuildsNothing() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        _ = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 1))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 100)], ofItemAtPath: s.root + "/src.txt")
        let result = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(result.count(.built), 0)
    }

    func testEarlyCutoffStopsAtIdenticalOutput() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        func g(_ text: String) -> BuildGraph {
            var g = BuildGraph()
            var a = JoinRecipe("a:1", inputs: [.file("src.txt")], text: text, counter: counter)
            a.constantOutput = true
            g.add(a)
            g.add(JoinRecipe("b:1", inputs: ["a:1"], counter: counter))
            return g
        }
        _ = try s.engine().build(g("x"), targets: ["b:1"], options: BuildOptions(jobs: 1))
        counter.reset()
        let result = try s.engine().build(g("y"), targets: ["b:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(counter.count("a:1"), 1, "a's params changed, so it runs")
        XCTAssertEqual(counter.count("b:1"), 0, "a's output is identical, so b is cut off")
        XCTAssertEqual(result.result(for: "b:1")?.status, .reused)
    }

    func testVersionChangeAndNeverBuiltAndMissingOutput() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let recorder = Recorder()
        _ = try s.engine().build(graph(s, counter), targets: ["a:1"], options: BuildOptions(jobs: 1), observer: recorder)
        XCTAssertEqual(recorder.reasons("a:1"), [.neverBuilt])

        // Delete the object: the trace still matches, so the reason is the missing output.
        let engine = s.engine()
        let trace = engine.traces.load("a:1")!
        try FileManager.default.removeItem(atPath: engine.store.path(of: trace.output))
        let r2 = Recorder()
        _ = try s.engine().build(graph(s, counter), targets: ["a:1"], options: BuildOptions(jobs: 1), observer: r2)
        XCTAssertEqual(r2.reasons("a:1"), [.outputMissing])

        JoinRecipe.version = 2
        defer { JoinRecipe.version = 1 }
        let r3 = Recorder()
        _ = try s.engine().build(graph(s, counter), targets: ["a:1"], options: BuildOptions(jobs: 1), observer: r3)
        XCTAssertEqual(r3.reasons("a:1"), [.codeChanged(name: "recipe", old: 1, new: 2)])
    }

    func testDryRunRunsNothingAndSaysWhy() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        _ = try s.engine().build(graph(s, counter), targets: ["c:1"], options: BuildOptions(jobs: 1))
        counter.reset()
        let recorder = Recorder()
        let result = try s.engine().build(graph(s, counter, bText: "B"), targets: ["c:1"], options: BuildOptions(jobs: 1, dryRun: true), observer: recorder)
        XCTAssertEqual(counter.total, 0)
        XCTAssertEqual(result.count(.wouldRun), 2)
        XCTAssertEqual(recorder.reasons("b:1"), [.configChanged(key: "text", old: "\"b\"", new: "\"B\"")])
        XCTAssertEqual(recorder.reasons("c:1"), [.inputWillRebuild(id: "b:1", label: nil)])
    }

    func testFailureSkipsDependentsAndKeepGoingBuildsTheRest() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        var g = BuildGraph()
        var bad = JoinRecipe("bad:1", inputs: [.file("src.txt")], counter: counter)
        bad.fail = true
        g.add(bad)
        g.add(JoinRecipe("after:1", inputs: ["bad:1"], counter: counter))
        g.add(JoinRecipe("other:1", inputs: [.file("src.txt")], counter: counter))
        let result = try s.engine().build(g, targets: ["after:1", "other:1"], options: BuildOptions(jobs: 1, keepGoing: true))
        XCTAssertEqual(result.result(for: "bad:1")?.status, .failed)
        XCTAssertEqual(result.result(for: "after:1")?.status, .skipped)
        XCTAssertEqual(result.result(for: "other:1")?.status, .built)
        XCTAssertEqual(counter.count("after:1"), 0)
    }

    func testMissingSourceFileFailsNamingIt() throws {
        let s = Sandbox(), counter = RunCounter()
        var g = BuildGraph()
        g.add(JoinRecipe("a:1", inputs: [.file("nope.txt")], counter: counter))
        let result = try s.engine().build(g, targets: ["a:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(result.failures.first?.message, "nope.txt: file not found (needed by a:1)")
        // Every reader is counted, the first by name.
        var two = BuildGraph()
        two.add(JoinRecipe("b:1", inputs: [.file("nope.txt")], counter: counter))
        two.add(JoinRecipe("c:1", inputs: [.file("nope.txt")], counter: counter))
        let both = try s.engine().build(two, targets: ["c:1", "b:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(both.failures.first?.message, "nope.txt: file not found (needed by b:1 and 1 more)")
    }

    func testCorruptInputObjectIsDetectedAndNotPropagated() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(graph(s, counter), targets: ["b:1"], options: BuildOptions(jobs: 1))
        let aObject = s.engine().store.path(of: first.result(for: "a:1")!.output!)
        // Same size, different bytes: only a re-hash can tell.
        try Data("HELLOa/1;".utf8).write(to: URL(fileURLWithPath: aObject))
        // Detected when b reads it, reported, dropped and rebuilt within the same build.
        let warnings = WarningCollector()
        let rebuilt = try s.engine().build(graph(s, counter, bText: "b2"), targets: ["b:1"], options: BuildOptions(jobs: 1), observer: warnings)
        XCTAssertEqual(warnings.messages.count, 1)
        XCTAssertTrue(warnings.messages.first?.contains("is corrupt") ?? false, "\(warnings.messages)")
        XCTAssertTrue(rebuilt.failures.isEmpty, "\(rebuilt.failures)")
        XCTAssertEqual(rebuilt.result(for: "a:1")?.status, .built)
        XCTAssertEqual(rebuilt.result(for: "b:1")?.status, .built)
        let output = try String(contentsOfFile: s.engine().store.path(of: rebuilt.result(for: "b:1")!.output!), encoding: .utf8)
        XCTAssertEqual(output, "helloa/1;b2/0;")
    }

    func testMissingIntermediateObjectIsRebuiltWhenADependentNeedsIt() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(graph(s, counter), targets: ["b:1"], options: BuildOptions(jobs: 1))
        try FileManager.default.removeItem(atPath: s.engine().store.path(of: first.result(for: "a:1")!.output!))
        // Nothing reads a:1 in a no-op build, so nothing is rebuilt…
        XCTAssertEqual(try s.engine().build(graph(s, counter), targets: ["b:1"], options: BuildOptions(jobs: 1)).count(.built), 0)
        // …until b rebuilds and needs it: then a is remade in the same build.
        let warnings = WarningCollector()
        let rebuilt = try s.engine().build(graph(s, counter, bText: "b2"), targets: ["b:1"], options: BuildOptions(jobs: 1), observer: warnings)
        XCTAssertTrue(rebuilt.failures.isEmpty, "\(rebuilt.failures)")
        XCTAssertTrue(warnings.messages.first?.contains("is missing") ?? false, "\(warnings.messages)")
        XCTAssertEqual(rebuilt.result(for: "a:1")?.status, .built)
        let output = try String(contentsOfFile: s.engine().store.path(of: rebuilt.result(for: "b:1")!.output!), encoding: .utf8)
        XCTAssertEqual(output, "helloa/1;b2/0;")
    }

    func testParallelAndSerialGiveTheSameKeysAndOutputs() throws {
        let counter = RunCounter()
        func run(jobs: Int) throws -> [NodeID: Digest] {
            let s = Sandbox()
            s.write("src.txt", "hello")
            var g = BuildGraph()
            for i in 0..<40 { g.add(JoinRecipe("n:\(i)", inputs: [.file("src.txt")] + (i > 0 ? [NodeID("n:\(i / 2)")] : []), text: "\(i)", counter: counter)) }
            let result = try s.engine().build(g, targets: (0..<40).map { NodeID("n:\($0)") }, options: BuildOptions(jobs: jobs))
            return Dictionary(uniqueKeysWithValues: result.nodes.map { ($0.id, $0.output!) })
        }
        XCTAssertEqual(try run(jobs: 1), try run(jobs: 4))
    }

    func testUnknownTargetSuggestsAName() throws {
        var g = BuildGraph()
        g.add(JoinRecipe("track:null-hypothesis", counter: RunCounter()))
        XCTAssertThrowsError(try g.closure(of: ["track:null-hypotesis"])) { error in
            XCTAssertEqual(String(describing: error), "unknown target 'track:null-hypotesis' (did you mean track:null-hypothesis?)")
        }
    }
}

final class WarningCollector: BuildObserver {
    var messages: [String] = []
    func handle(_ event: BuildEvent) {
        if case .warning(_, let message) = event { messages.append(message) }
    }
}
