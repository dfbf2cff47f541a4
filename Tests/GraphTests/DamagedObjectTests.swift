import XCTest
@testable import Graph

/// Damaged bytes in the store are never reused, published or kept: a target is re-hashed before
/// it is reused, a rebuild replaces what lies under its digest's name, and a chain of damaged
/// objects is rebuilt within one build.
final class DamagedObjectTests: XCTestCase {
    /// src.txt → n:0 → n:1 → … → n:<length-1>, the last one the target.
    func chain(_ length: Int, counter: RunCounter, top: String = "") -> BuildGraph {
        var g = BuildGraph()
        for i in 0..<length {
            let input: NodeID = i == 0 ? .file("src.txt") : NodeID("n:\(i - 1)")
            g.add(JoinRecipe("n:\(i)", inputs: [input], text: i == length - 1 ? "top\(top)" : "\(i)", counter: counter))
        }
        return g
    }

    func object(_ s: Sandbox, _ result: BuildResult, _ id: NodeID) throws -> String {
        s.engine().store.path(of: try XCTUnwrap(result.result(for: id)?.output, "\(id) has no output"))
    }

    func flipByte(_ path: String) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    func testInsertReplacesADamagedFileUnderTheDigestsName() throws {
        let s = Sandbox()
        let store = s.engine().store
        let good = Data("the real bytes".utf8)
        let target = store.path(of: Digest.of(good))
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("the real".utf8).write(to: URL(fileURLWithPath: target))  // truncated

        s.write("fresh", "the real bytes")
        XCTAssertEqual(try store.insert(fileAt: s.root + "/fresh"), Digest.of(good))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), good)
    }

    func testAReusedTargetDamagedInPlaceIsRebuiltNotHandedOut() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        let path = try object(s, first, "n:1")
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // Same size, same mtime: only the bytes tell.
        let mtime = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
        try flipByte(path)
        try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)

        counter.reset()
        let second = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(second.result(for: "n:1")?.status, .built)
        XCTAssertEqual(second.result(for: "n:1")?.output, first.result(for: "n:1")?.output)
        XCTAssertEqual(counter.count("n:0"), 0, "only the damaged node runs")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good)
    }

    func testATruncatedTargetIsReplacedByItsRebuild() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        let path = try object(s, first, "n:1")
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        truncate(path, 3)

        let second = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(second.result(for: "n:1")?.status, .built)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good, "the rebuilt bytes replace the truncated file")
        let third = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        XCTAssertEqual(third.count(.built), 0)
    }

    func testADamagedChainIsRebuiltWithinOneBuildWithoutReportingFailuresOrSkips() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(chain(6, counter: counter), targets: ["n:5"], options: BuildOptions(jobs: 2))
        for i in 0..<6 { try flipByte(try object(s, first, NodeID("n:\(i)"))) }

        // The top changes, so it reads n:4, whose rebuild reads n:3, and so on down the chain.
        let recorder = Recorder()
        let second = try s.engine().build(chain(6, counter: counter, top: "2"), targets: ["n:5"], options: BuildOptions(jobs: 2), observer: recorder)
        XCTAssertEqual(second.failures.map(\.id), [])
        XCTAssertEqual(second.count(.built), 6)
        let warnings = recorder.events.filter { if case .warning = $0 { true } else { false } }
        XCTAssertEqual(warnings.count, 5, "one per damaged input read: \(recorder.events)")
        for event in recorder.events {
            if case .skipped(let id, let because) = event { XCTFail("\(id) reported as skipped because of \(because), then built") }
            if case .failed(let id, let message) = event { XCTFail("\(id) reported as failed: \(message)") }
        }
        let output = try String(contentsOfFile: try object(s, second, "n:5"), encoding: .utf8)
        XCTAssertEqual(output, "hello0/0;1/0;2/0;3/0;4/0;top2/0;")
        for i in 0..<5 { XCTAssertTrue(try s.engine().store.verify(try XCTUnwrap(second.result(for: NodeID("n:\(i)"))?.output)), "n:\(i)") }
    }

    func testAnObjectDamagedAgainAfterItsRebuildFailsInsteadOfRetryingForever() throws {
        let s = Sandbox(), counter = RunCounter()
        s.write("src.txt", "hello")
        let first = try s.engine().build(chain(2, counter: counter), targets: ["n:1"], options: BuildOptions(jobs: 1))
        try flipByte(try object(s, first, "n:0"))

        // A store that damages n:0's object every time it is written.
        let engine = Engine(projectRoot: s.root, cacheDirectory: s.root + "/cache", fs: DamagingFileSystem(damaging: "hello0/0;"))
        let result = try engine.build(chain(2, counter: counter, top: "2"), targets: ["n:1"], options: BuildOptions(jobs: 1))
        let failure = try XCTUnwrap(result.failures.first)
        XCTAssertEqual(failure.id, "n:1")
        XCTAssertTrue(failure.message?.contains("damaged or gone again after it was rebuilt") ?? false, failure.message ?? "")
    }
}

/// Flips a byte of every file moved into place whose content is `damaging`.
struct DamagingFileSystem: FileSystem {
    let damaging: String
    let local = LocalFileSystem()
    func read(_ path: String) throws -> Data { try local.read(path) }
    func moveIntoPlace(_ source: String, to path: String) throws {
        try local.moveIntoPlace(source, to: path)
        guard var bytes = try? Data(contentsOf: URL(fileURLWithPath: path)), bytes == Data(damaging.utf8) else { return }
        bytes[0] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
    }
    func readBlocks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws { try local.readBlocks(path, body) }
    func writeNew(_ path: String, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws { try local.writeNew(path, body) }
    func openForAppending(_ path: String) throws -> any AppendingFile { try local.openForAppending(path) }
    func status(_ path: String) -> FileStatus? { local.status(path) }
    func list(_ directory: String) -> [String] { local.list(directory) }
    func exists(_ path: String) -> Bool { local.exists(path) }
    func remove(_ path: String) throws { try local.remove(path) }
    func makeDirectory(_ path: String) throws { try local.makeDirectory(path) }
    func lockFile(_ path: String) throws -> any FileLock { try local.lockFile(path) }
}
