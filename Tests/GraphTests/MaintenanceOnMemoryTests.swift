import Foundation
import XCTest
@testable import Graph

/// `cache verify`, `cache gc` and publishing a deliverable go through the file system seam too:
/// on a memory file system they list, re-hash, remove and copy exactly what they do on disk.
final class MaintenanceOnMemoryTests: XCTestCase {
    func testVerifyFindsTheOneDamagedObjectAndDropsItsRecord() throws {
        let project = MemoryProject()
        let clean = try project.build()
        let engine = project.engine()
        let middle = try XCTUnwrap(clean.result(for: "sjoin:middle")?.output)
        var bytes = try XCTUnwrap(project.fs.contents(engine.store.path(of: middle)))
        bytes[bytes.count - 1] ^= 0x40
        project.fs.overwrite(engine.store.path(of: middle), with: bytes)

        let report = try CacheMaintenance(engine: engine).verify()
        XCTAssertEqual(report.checked, 4)
        XCTAssertEqual(report.corrupt, [middle])
        XCTAssertFalse(project.fs.exists(engine.store.path(of: middle)))
        let next = try project.build()
        XCTAssertEqual(next.nodes.filter { $0.status == .built }.map(\.id), ["sjoin:middle"])
    }

    func testCollectKeepsRootsAndRemovesTheRestAndLeftoverTemporaries() throws {
        let project = MemoryProject()
        let clean = try project.build()
        let engine = project.engine()
        project.fs.overwrite(MemoryProject.cache + "/tmp/left-by-a-crash", with: Data("x".utf8))
        let top = try XCTUnwrap(clean.result(for: MemoryProject.target)?.output)

        let report = try CacheMaintenance(engine: engine).collect(roots: [top], policy: .init(maxBytes: 0))
        XCTAssertEqual(report.kept.map(\.digest), [top])
        XCTAssertEqual(report.removed.count, 3)
        XCTAssertEqual(report.temporaryFiles, 1)
        let objects = project.fs.allFiles().keys.filter { $0.hasPrefix(engine.store.directory + "/") }
        XCTAssertEqual(objects, [engine.store.path(of: top)])
        XCTAssertEqual(project.fs.list(MemoryProject.cache + "/tmp"), [])
    }

    func testExportCopiesCheckedBytesAndRefusesADamagedObject() throws {
        let project = MemoryProject()
        let clean = try project.build()
        let store = project.engine().store
        let top = try XCTUnwrap(clean.result(for: MemoryProject.target)?.output)
        try project.fs.makeDirectory("/renders")

        let copied = try store.export(top, to: "/renders/top.txt")
        XCTAssertEqual(project.fs.contents("/renders/top.txt"), project.fs.contents(store.path(of: top)))
        XCTAssertEqual(copied, project.fs.contents("/renders/top.txt")?.count)

        project.fs.overwrite(store.path(of: top), with: Data("not what was built\n".utf8))
        XCTAssertThrowsError(try store.export(top, to: "/renders/again.txt")) { error in
            XCTAssertTrue((error as? GraphError)?.isDamagedObject ?? false, "\(error)")
        }
        XCTAssertEqual(project.fs.list("/renders"), ["top.txt"], "a refused copy leaves nothing behind")
        XCTAssertFalse(store.contains(top), "the damaged object is dropped")
    }
}
