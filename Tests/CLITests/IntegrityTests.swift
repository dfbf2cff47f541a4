import Foundation
import XCTest
import Nodes

/// No damaged bytes are reused, published or certified: an edit of a published file stays out of
/// the cache, a damaged object is rebuilt (in the same build) and replaced, and `verify` checks
/// the files against the nodes' outputs.
final class IntegrityTests: XCTestCase {
    func copy() throws -> TestProject { try TestProject(copying: EndToEndTests.baseline) }

    func object(_ p: TestProject, of node: String) throws -> String {
        let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
        let digest = try XCTUnwrap(nodes.first { $0["id"] as? String == node }?["output"] as? String, node)
        return p.root + "/cache/objects/\(digest.prefix(2))/\(digest)"
    }

    /// Overwrites 4 bytes in the middle of a file in place (same inode, same size).
    func flip4Bytes(_ path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path), path)
        defer { try? handle.close() }
        let middle = try handle.seekToEnd() / 2
        try handle.seek(toOffset: middle)
        let bytes = try XCTUnwrap(try handle.read(upToCount: 4))
        try handle.seek(toOffset: middle)
        try handle.write(contentsOf: Data(bytes.map { $0 ^ 0x5A }))
    }

    func assertCacheIntact(_ p: TestProject, file: StaticString = #filePath, line: UInt = #line) throws {
        let verify = try p.ntsbuild("cache", "verify")
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr, file: file, line: line)
        XCTAssertTrue(verify.stdout.contains(" 0 corrupt"), verify.stdout, file: file, line: line)
    }

    func testEditingAPublishedOutputInPlaceNeverReachesTheCache() throws {
        let p = try copy()
        let reference = try p.outputHashes()
        // A fresh publish in this copy (copying the project did not keep what the build made).
        XCTAssertEqual(try p.ntsbuild("album").status, 0)
        let published = p.latest + "/one.mp4"
        try flip4Bytes(published)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: published))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("a tagger's trailer".utf8))
        try handle.close()

        try assertCacheIntact(p)
        let build = try p.ntsbuild("album", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.nodes("built"), [], "the cache never saw the edit")
        XCTAssertEqual(try p.outputHashes(), reference)
        XCTAssertEqual(try RunRecord.sha256(of: p.latest + "/one.mp4"), reference["one.mp4"])
    }

    func testFlippedBytesInAReusedVideoObjectAreRebuiltNotPublished() throws {
        let p = try copy()
        let reference = try p.outputHashes()
        try flip4Bytes(try object(p, of: "track:one"))

        let build = try p.ntsbuild("album", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.nodes("built"), ["track:one"], "only the damaged node is remade (to the same bytes: nothing after it)")
        XCTAssertEqual(try p.outputHashes(), reference)
        XCTAssertEqual(try p.ntsbuild("verify", "--shards", "0").status, 0)
        try assertCacheIntact(p)
    }

    func testATruncatedObjectIsReplacedByItsRebuild() throws {
        let p = try copy()
        let reference = try p.outputHashes()
        let path = try object(p, of: "track:two")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(truncate(path, 100), 0)

        let build = try p.ntsbuild("album", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.nodes("built"), ["track:two"])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size, "the rebuilt bytes replaced the truncated file")
        XCTAssertEqual(try p.outputHashes(), reference)
        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.nodes("built"), [])
        XCTAssertEqual(try p.outputHashes(), reference)
    }

    func testEveryObjectDamagedAtOnceIsRebuiltInOneBuildWithoutSkipMessages() throws {
        let p = try copy()
        let reference = try p.outputHashes()
        let objects = p.cacheListing().keys.filter { $0.hasPrefix("objects/") }
        XCTAssertGreaterThan(objects.count, 20)
        for object in objects { try flip4Bytes(p.root + "/cache/" + object) }

        let build = try p.ntsbuild("album", "-j2")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("is corrupt"), build.stderr)
        XCTAssertFalse(build.stderr.contains("skip "), "nothing is skipped and then built anyway:\n\(build.stderr)")
        XCTAssertFalse(build.stderr.contains("FAILED"), build.stderr)
        XCTAssertEqual(try p.outputHashes(), reference)
        XCTAssertEqual(try p.ntsbuild("verify", "--shards", "0").status, 0)
        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.nodes("built"), [])
    }

    func testVerifyRejectsAFileThatIsNotItsNodesOutputEvenWhenItsSHA256IsRecorded() throws {
        let p = try copy()
        // What a publisher that trusted a damaged object wrote: the damage, and its SHA-256.
        let sheet = p.latest + "/two-sheet.png"
        try flip4Bytes(sheet)
        let runJSON = p.latest + "/run.json"
        let text = try String(contentsOfFile: runJSON, encoding: .utf8)
        let recorded = try XCTUnwrap(try p.outputHashes()["two-sheet.png"])
        try text.replacingOccurrences(of: recorded, with: try RunRecord.sha256(of: sheet)).write(toFile: runJSON, atomically: true, encoding: .utf8)

        let verify = try p.ntsbuild("verify", "--shards", "0")
        XCTAssertEqual(verify.status, 1, verify.stdout)
        XCTAssertTrue(verify.lastErrorLine.contains("two-sheet.png: content"), verify.stderr)
        XCTAssertTrue(verify.lastErrorLine.contains("is not the output of preview:two:sheet"), verify.stderr)
    }
}
