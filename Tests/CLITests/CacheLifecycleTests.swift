import Foundation
import XCTest

/// `cache stats | gc | verify`, `clean --dead`, `targets` and `graph` on a real project.
final class CacheLifecycleTests: XCTestCase {
    func objectSizes(_ p: TestProject) -> [String: Int] {
        p.cacheListing().filter { $0.key.hasPrefix("objects/") }
    }

    func runOutputs(_ p: TestProject) throws -> Set<String> {
        let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
        return Set(nodes.compactMap { $0["output"] as? String })
    }

    func testGCKeepsTheKeptRunsAndBringsTheCacheUnderTheCap() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let firstRun = try runOutputs(p)
        XCTAssertEqual(try p.ntsbuild("album", "--set", "encoder.crf=35").status, 0)
        let keptRun = try runOutputs(p)
        let before = objectSizes(p)
        let rootBytes = before.filter { keptRun.contains(($0.key as NSString).lastPathComponent) }.values.reduce(0, +)
        XCTAssertGreaterThan(before.values.reduce(0, +), rootBytes, "the first run left objects the second does not use")

        // A dry run removes nothing.
        let dry = try p.ntsbuild("cache", "gc", "--keep-runs", "1", "--max-size", "\(rootBytes)", "--dry-run")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would remove"), dry.stdout)
        XCTAssertEqual(objectSizes(p), before)

        let gc = try p.ntsbuild("cache", "gc", "--keep-runs", "1", "--max-size", "\(rootBytes)")
        XCTAssertEqual(gc.status, 0, gc.stderr)
        let after = objectSizes(p)
        XCTAssertLessThanOrEqual(after.values.reduce(0, +), rootBytes, gc.stdout)
        let remaining = Set(after.keys.map { ($0 as NSString).lastPathComponent })
        XCTAssertTrue(keptRun.isSubset(of: remaining), "gc removed an object of the kept run")
        XCTAssertFalse(firstRun.subtracting(keptRun).isSubset(of: remaining), "gc removed nothing of the older run")

        // The kept run's config rebuilds nothing; the collected one rebuilds only what was evicted.
        let kept = try p.ntsbuild("album", "--set", "encoder.crf=35", "--json")
        XCTAssertEqual(kept.nodes("built"), [])
        let old = try p.ntsbuild("album", "--json")
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertFalse(old.nodes("built").contains { $0.hasPrefix("frames:") }, "frames were shared by both runs: \(old.nodes("built"))")
        XCTAssertTrue(old.nodes("built").contains("album"))
    }

    func testGCByAgeSparesRecentlyUsedObjects() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let before = objectSizes(p)
        // Everything was used moments ago: a one-hour age cap with no runs kept removes nothing.
        let gc = try p.ntsbuild("cache", "gc", "--keep-runs", "0", "--max-age", "1h")
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertEqual(objectSizes(p), before, gc.stdout)
        let bad = try p.ntsbuild("cache", "gc", "--max-size", "lots")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--max-size"), bad.stderr)
        // Absurd sizes and ages are refused, not a crash converting them to integers.
        let huge = try p.ntsbuild("cache", "gc", "--max-size", "1e30G", "--max-age", "1e30d")
        XCTAssertEqual(huge.status, 64, huge.stderr)
        XCTAssertTrue(huge.stderr.contains("--max-size"), huge.stderr)
    }

    func testStatsReportsKindsAndReuse() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        // A re-encode: the last run rebuilds the two tracks and the album and reuses the rest.
        let reencode = try p.ntsbuild("album", "--json", "--set", "encoder.crf=31")
        XCTAssertEqual(reencode.status, 0, reencode.stderr)
        let built = reencode.nodes("built").count, reused = reencode.nodes("reused").count
        let stats = try p.ntsbuild("cache", "stats")
        XCTAssertEqual(stats.status, 0, stats.stderr)
        for kind in ["frames", "track", "album", "features", "trajectory"] {
            XCTAssertTrue(stats.stdout.contains("  \(kind) "), "\(kind) missing in\n\(stats.stdout)")
        }
        XCTAssertTrue(stats.stdout.contains("\(built + reused) nodes, \(built) built, \(reused) reused"), stats.stdout)
    }

    func testVerifyFindsAFlippedByteAndTheNextBuildRemakesOnlyThatNode() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
        let trajectory = try XCTUnwrap(nodes.first { $0["id"] as? String == "trajectory:one" }?["output"] as? String)
        let path = p.root + "/cache/objects/\(trajectory.prefix(2))/\(trajectory)"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))

        let verify = try p.ntsbuild("cache", "verify")
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.contains("corrupt: \(path)"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains(", 1 corrupt"), verify.stdout)
        let rebuild = try p.ntsbuild("album", "--json")
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertEqual(rebuild.nodes("built"), ["trajectory:one"], "early cutoff: the remade trajectory is identical")
        XCTAssertEqual(try p.ntsbuild("cache", "verify").status, 0)
    }

    func testCorruptObjectReadByABuildIsReportedDroppedAndRebuiltInTheSameBuild() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let reference = try p.outputHashes()
        let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
        let features = try XCTUnwrap(nodes.first { $0["id"] as? String == "features:two" }?["output"] as? String)
        let path = p.root + "/cache/objects/\(features.prefix(2))/\(features)"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 5] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))

        // A change downstream of the corrupt object makes the build read it.
        let build = try p.ntsbuild("album", "--set", "controller.wander_seed=7", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stdout.contains("\"event\":\"warning\""), build.stdout)
        XCTAssertTrue(build.stdout.contains("is corrupt"), build.stdout)
        XCTAssertTrue(build.nodes("built").contains("features:two"))
        // Back to the original config: the repaired cache gives the original bytes.
        let back = try p.ntsbuild("album")
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(try p.outputHashes(), reference)
    }

    func testCleanDeadForgetsARemovedTrack() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
        let twoOutput = try XCTUnwrap(nodes.first { $0["id"] as? String == "features:two" }?["output"] as? String)
        // Drop track two (its four lines) from the Buildfile.
        var lines = TestProject.buildfile.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try XCTUnwrap(lines.firstIndex { $0.contains("- id: two") })
        lines.removeSubrange(start..<start + 4)
        try p.write("Buildfile.yaml", lines.joined(separator: "\n"))
        try FileManager.default.removeItem(atPath: p.root + "/renders")
        let clean = try p.ntsbuild("clean", "--dead")
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.contains("dead: track:two"), clean.stdout)
        XCTAssertTrue(clean.stdout.contains("dead: features:two"), clean.stdout)
        XCTAssertFalse(clean.stdout.contains("dead: track:one"), clean.stdout)
        XCTAssertNil(objectSizes(p)["objects/\(twoOutput.prefix(2))/\(twoOutput)"])
        let again = try p.ntsbuild("track:one", "--json")
        // Only the video is re-encoded: its track tag says 1/1 now, not 1/2.
        XCTAssertEqual(again.nodes("built"), ["track:one"], "live nodes keep their outputs")
    }

    func testTargetsAndGraph() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        let fresh = try p.ntsbuild("targets")
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("fresh") }, fresh.stdout)
        let stale = try p.ntsbuild("targets", "--set", "encoder.crf=23")
        XCTAssertTrue(stale.stdout.contains("track:one") && stale.stdout.contains("stale    config encoder.crf changed 30 → 23"), stale.stdout)
        XCTAssertTrue(stale.stdout.contains("frames:one:0000"), stale.stdout)
        let missing = try TestProject().ntsbuild("targets", "features:one")
        XCTAssertTrue(missing.stdout.contains("features:one") && missing.stdout.contains("missing  never built"), missing.stdout)

        let dot = try p.ntsbuild("graph", "track:one")
        XCTAssertTrue(dot.stdout.hasPrefix("digraph ntsbuild {"), dot.stdout)
        XCTAssertTrue(dot.stdout.contains("\"features:one\" -> \"trajectory:one\";"), dot.stdout)
        XCTAssertFalse(dot.stdout.contains("track:two"))
        let json = try p.ntsbuild("graph", "album", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let graphNodes = object?["nodes"] as? [[String: Any]] ?? []
        let albumInputs = graphNodes.first { $0["id"] as? String == "album" }?["inputs"] as? [String] ?? []
        XCTAssertTrue(albumInputs.contains("track:one") && albumInputs.contains("track:two"), json.stdout)
        XCTAssertEqual((graphNodes.first { $0["id"] as? String == "track:one" }?["params"] as? [String: String])?["encoder.crf"], "30")
    }
}
