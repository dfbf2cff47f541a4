import Foundation
import XCTest
@testable import Graph

/// Every disk operation of a clean build fails in turn, in every way a disk fails; the build
/// that follows, with a healthy disk, must give a clean build's bytes from objects that are
/// intact, and the one after it must find nothing left to do.
final class FaultInjectionTests: XCTestCase {
    func testEveryOperationOfACleanBuildCanFailAndTheNextBuildRecovers() throws {
        let reference = MemoryProject()
        let clean = try reference.build()
        XCTAssertEqual(clean.failures.count, 0)
        let expected = try reference.outputs(of: clean)
        let operations = reference.fs.operations
        XCTAssertGreaterThan(operations, 20, "a clean build should write objects, the log, traces and stat.json")

        for kind in MemoryFileSystem.FaultKind.allCases {
            for n in 0..<operations {
                let label = "\(kind) at operation \(n)"
                let project = MemoryProject()
                project.fs.inject([.init(kind: kind, atOperation: n)])
                do {
                    let faulty = try project.build()
                    for failure in faulty.failures {
                        let message = failure.message ?? ""
                        XCTAssertFalse(message.isEmpty || message.contains("\n"), "\(label): \(failure.id): '\(message)'")
                    }
                    // Whatever the faulty build says it built is what a clean build makes.
                    for node in faulty.nodes where node.status == .built || node.status == .reused {
                        guard !node.id.isFile else { continue }
                        XCTAssertEqual(try project.outputs(of: BuildResult(nodes: [node], wallSeconds: 0, interrupted: false))[node.id], expected[node.id], label)
                    }
                } catch {
                    XCTAssertFalse(String(describing: error).contains("\n"), "\(label): \(error)")
                }
                XCTAssertEqual(project.fs.failuresInjected, 1, "\(label): the fault should strike once")

                project.fs.inject([])
                let recovered = try project.build()
                XCTAssertEqual(recovered.failures.map(\.id), [], "\(label): \(recovered.failures.compactMap(\.message))")
                XCTAssertEqual(try project.outputs(of: recovered), expected, label)
                XCTAssertEqual(project.damagedReads.all, [], label)
                let noOp = try project.build()
                XCTAssertEqual(noOp.count(.built), 0, "\(label): rebuilt \(noOp.nodes.filter { $0.status == .built }.map(\.id))")
            }
        }
    }

    /// A disk that fails every write from the start: each build fails with a one-line error and
    /// leaves nothing under a real name; once it is healthy, a build gives the clean bytes.
    func testAFullDiskFailsTheBuildWithOneLineThenRecovers() throws {
        let project = MemoryProject()
        project.fs.inject([.init(kind: .noSpace, atOperation: nil, only: .write)])
        let result = try? project.build()
        if let failure = result?.failures.first {
            XCTAssertTrue(failure.message?.contains("No space left on device") ?? false, failure.message ?? "")
        }
        let objects = project.fs.allFiles().keys.filter { $0.hasPrefix(MemoryProject.cache + "/objects/") }
        XCTAssertEqual(objects, [])
        project.fs.inject([])
        let reference = MemoryProject()
        XCTAssertEqual(try project.outputs(of: project.build()), try reference.outputs(of: reference.build()))
    }

    /// stat.json only saves re-hashing: a build that cannot save it still reports its nodes (built,
    /// no failures) with one warning, instead of throwing the save's error in their place.
    func testAStatCacheThatCannotBeSavedIsAWarningNotTheBuildsError() throws {
        let project = MemoryProject()
        project.fs.inject([.init(kind: .ioError, atOperation: nil, only: .rename, pathContaining: "stat.json")])
        let recorder = Recorder()
        let result = try project.build(observer: recorder)
        XCTAssertEqual(result.failures.map(\.id), [])
        XCTAssertEqual(result.count(.built), 4)
        let warnings = MemoryProject.warnings(recorder)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.contains("stat.json: Input/output error; not saved") ?? false, "\(warnings)")
    }

    /// A damaged deliverable in the store is re-hashed, found out and rebuilt, never returned.
    func testADamagedObjectIsRehashedAndRebuilt() throws {
        let project = MemoryProject()
        let clean = try project.build()
        let expected = try project.outputs(of: clean)
        let store = project.engine().store
        for node in clean.nodes where !node.id.isFile {
            let path = store.path(of: node.output!)
            var bytes = try XCTUnwrap(project.fs.contents(path))
            bytes[0] ^= 0x01
            project.fs.overwrite(path, with: bytes)
        }
        let rebuilt = try project.build(topText: "other")
        XCTAssertEqual(rebuilt.failures.map(\.id), [])
        XCTAssertEqual(project.damagedReads.all, [])
        XCTAssertEqual(try project.outputs(of: project.build()), expected)
    }
}
