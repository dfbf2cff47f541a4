import Foundation
import XCTest
@testable import Graph

/// A cache shared through a folder: what one machine builds another fetches instead of
/// building, re-hashed first; a damaged remote object is rebuilt and replaced; a broken remote
/// is one warning and a local build.
final class RemoteCacheTests: XCTestCase {
    func chain(_ counter: RunCounter) -> BuildGraph {
        var g = BuildGraph()
        g.add(JoinRecipe("a:1", inputs: [.file("src.txt")], text: "a", counter: counter))
        g.add(JoinRecipe("b:1", inputs: ["a:1"], text: "b", counter: counter))
        return g
    }

    func build(_ s: Sandbox, _ counter: RunCounter, remote: String, upload: Bool = true, recorder: Recorder? = nil) throws -> BuildResult {
        let engine = s.engine()
        engine.useRemote(RemoteCacheOptions(cache: DirectoryRemoteCache(root: remote), upload: upload))
        return try engine.build(chain(counter), targets: ["b:1"], options: BuildOptions(jobs: 1), observer: recorder)
    }

    func testAnotherMachineFetchesInsteadOfBuilding() throws {
        let remote = NSTemporaryDirectory() + "ntsbuild-remote-" + UUID().uuidString
        let first = Sandbox(), second = Sandbox(), counter = RunCounter()
        first.write("src.txt", "hello")
        second.write("src.txt", "hello")
        let made = try build(first, counter, remote: remote)
        XCTAssertEqual(counter.total, 2)
        counter.reset()
        let fetched = try build(second, counter, remote: remote)
        XCTAssertEqual(counter.total, 0, "nothing built on the second machine")
        XCTAssertEqual(fetched.count(.fetched), 2)
        XCTAssertEqual(fetched.result(for: "b:1")?.output, made.result(for: "b:1")?.output)
        // Now in the second machine's own cache.
        let again = try build(second, counter, remote: remote)
        XCTAssertEqual(again.count(.reused), 2)
    }

    func testADamagedRemoteObjectIsRebuiltAndReplaced() throws {
        let remote = NSTemporaryDirectory() + "ntsbuild-remote-" + UUID().uuidString
        let first = Sandbox(), second = Sandbox(), third = Sandbox(), counter = RunCounter()
        for s in [first, second, third] { s.write("src.txt", "hello") }
        let made = try build(first, counter, remote: remote)
        let output = try XCTUnwrap(made.result(for: "b:1")?.output)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: remote + "/cas/" + output.hex))
        counter.reset()
        let recorder = Recorder()
        let result = try build(second, counter, remote: remote, recorder: recorder)
        XCTAssertEqual(counter.count("b:1"), 1, "built here, not taken damaged")
        XCTAssertEqual(result.result(for: "b:1")?.output, output)
        XCTAssertTrue(recorder.events.contains { if case .warning(_, let m) = $0 { m.contains("is damaged") } else { false } })
        counter.reset()
        _ = try build(third, counter, remote: remote)
        XCTAssertEqual(counter.total, 0, "the rebuilt object replaced the damaged one")
    }

    func testABrokenRemoteIsOneWarningAndALocalBuild() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        s.write("not-a-folder", "x")
        let recorder = Recorder()
        let result = try build(s, counter, remote: s.root + "/not-a-folder", recorder: recorder)
        XCTAssertEqual(result.failures.map(\.id), [])
        XCTAssertEqual(counter.total, 2)
        let warnings = recorder.events.filter { if case .warning = $0 { true } else { false } }
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
    }

    func testReadOnlyUsersDoNotUpload() throws {
        let remote = NSTemporaryDirectory() + "ntsbuild-remote-" + UUID().uuidString
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        _ = try build(s, counter, remote: remote, upload: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: remote + "/ac"))
    }
}
