import Foundation
import XCTest

/// Drives the real binary through the scenarios of the end-to-end issue and counts the nodes
/// each one runs.
final class EndToEndTests: XCTestCase {
    /// Built once; every test works on its own copy.
    static var baseline: TestProject = {
        let project = try! TestProject()
        let result = try! project.ntsbuild("album", "-j2")
        precondition(result.status == 0, "baseline build failed: \(result.stderr)")
        return project
    }()

    func copy() throws -> TestProject { try TestProject(copying: Self.baseline) }

    func seconds(_ value: Any?) -> Double { Double(value as? String ?? "") ?? (value as? Double ?? -1) }

    func testAlbumRenderHasPlayableTracksAndChapters() throws {
        let p = try copy()
        for id in ["one", "two"] {
            let info = try CLI.probe(p.latest + "/\(id).mp4")
            let streams = info["streams"] as? [[String: Any]] ?? []
            let video = try XCTUnwrap(streams.first { $0["codec_type"] as? String == "video" })
            let audio = try XCTUnwrap(streams.first { $0["codec_type"] as? String == "audio" })
            XCTAssertEqual(video["codec_name"] as? String, "h264")
            XCTAssertEqual(audio["codec_name"] as? String, "aac")
            XCTAssertEqual(video["width"] as? Int, 96)
            XCTAssertEqual(video["pix_fmt"] as? String, "yuv420p")
            let expected = id == "one" ? 3.0 : 2.0  // two.wav is 2.5 s trimmed from 0.5 s
            XCTAssertEqual(seconds(video["duration"]), expected, accuracy: 1.0 / 12, "\(id) video")
            XCTAssertEqual(seconds(video["duration"]), seconds(audio["duration"]), accuracy: 1.0 / 12, "\(id) video vs audio")
        }
        let album = try CLI.probe(p.latest + "/album.mp4")
        let chapters = album["chapters"] as? [[String: Any]] ?? []
        XCTAssertEqual(chapters.count, 2)
        XCTAssertEqual(chapters.compactMap { ($0["tags"] as? [String: Any])?["title"] as? String }, ["One", "Two"])
        let duration = seconds((album["format"] as? [String: Any])?["duration"])
        XCTAssertEqual(duration, 5.0, accuracy: 1.0 / 12)

        let run = try p.runJSON()
        let outputs = run["outputs"] as? [[String: Any]] ?? []
        let previews = ["one", "two"].flatMap { ["\($0)-poster.png", "\($0)-sheet.png", "\($0)-preview.webp"] }
        XCTAssertEqual(Set(outputs.compactMap { $0["file"] as? String }), Set(["one.mp4", "two.mp4", "album.mp4"] + previews))
        for output in outputs { XCTAssertEqual((output["sha256"] as? String)?.count, 64) }
        let nodes = run["nodes"] as? [[String: Any]] ?? []
        XCTAssertTrue(nodes.contains { $0["id"] as? String == "frames:one:0000" && $0["status"] as? String == "built" && $0["key"] is String })
    }

    func testSecondRunRebuildsNothingAndExplainReportsNothingStale() throws {
        let p = try copy()
        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.nodes("built"), [])
        XCTAssertGreaterThan(again.nodes("reused").count, 10)
        let plain = try p.ntsbuild("album")
        XCTAssertTrue(plain.stderr.contains("ntsbuild: 0 run,"), plain.stderr)
        let explain = try p.ntsbuild("album", "-n", "--explain")
        XCTAssertTrue(explain.stderr.contains("0 would run"), explain.stderr)
        XCTAssertEqual(try p.ntsbuild("explain", "album").stdout, "album is up to date\n")
    }

    func testEncoderChangeReencodesWithoutRenderingShards() throws {
        let p = try copy()
        let result = try p.ntsbuild("album", "--json", "--set", "encoder.crf=23")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Set(result.nodes("built")), ["track:one", "track:two", "album"])
        let explain = try p.ntsbuild("album", "-n", "--explain", "--set", "encoder.crf=25")
        XCTAssertTrue(explain.stdout.contains("track:one: config encoder.crf changed 23 → 25"), explain.stdout)
    }

    func testWanderSeedChangeRerendersFramesButReusesFeatures() throws {
        let p = try copy()
        let result = try p.ntsbuild("album", "--json", "--set", "controller.wander_seed=7")
        XCTAssertEqual(result.status, 0, result.stderr)
        let built = result.nodes("built")
        XCTAssertTrue(built.contains("trajectory:one"))
        XCTAssertTrue(built.contains("frames:one:0000"))
        XCTAssertFalse(built.contains { $0.hasPrefix("features:") })
        XCTAssertTrue(result.nodes("reused").contains("features:one"))
    }

    func testSingleTrackTargetBuildsOnlyThatTrack() throws {
        let p = try TestProject()
        let result = try p.ntsbuild("track:one", "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let built = result.nodes("built")
        XCTAssertTrue(built.contains("track:one"))
        XCTAssertEqual(built.filter { $0.contains(":two") || $0 == "album" }, [])
        // 3 s at 12 fps = 36 frames = 4 shards of 10: features, trajectory, 4 rows, 4 frames, track.
        XCTAssertEqual(built.count, 11)
    }

    func testOneAndTwoJobsGiveIdenticalBytes() throws {
        let serial = try TestProject()
        XCTAssertEqual(try serial.ntsbuild("album", "-j1").status, 0)
        XCTAssertEqual(try serial.outputHashes(), try Self.baseline.outputHashes())
    }

    // MARK: - Bad input: one line, non-zero exit, cache and renders intact

    func assertCleanFailure(_ p: TestProject, _ result: CLI.Result, mentions: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        XCTAssertTrue(result.lastErrorLine.hasPrefix("ntsbuild: error: "), result.stderr, file: file, line: line)
        XCTAssertTrue(result.lastErrorLine.contains(mentions), "'\(result.lastErrorLine)' should mention '\(mentions)'", file: file, line: line)
    }

    func assertIntact(_ p: TestProject, cacheBefore: [String: Int], hashesBefore: [String: String], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(p.cacheListing(), cacheBefore, "cache changed", file: file, line: line)
        XCTAssertEqual(try p.outputHashes(), hashesBefore, file: file, line: line)
        try p.write("Buildfile.yaml", TestProject.buildfile)
        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.nodes("built"), [], "a good build after the failure reuses everything", file: file, line: line)
    }

    func testMissingAudioFile() throws {
        let p = try copy()
        let (cache, hashes) = (p.cacheListing(), try p.outputHashes())
        try p.write("Buildfile.yaml", TestProject.buildfile.replacingOccurrences(of: "audio/two.wav", with: "audio/missing.wav"))
        assertCleanFailure(p, try p.ntsbuild("album"), mentions: "audio/missing.wav")
        try assertIntact(p, cacheBefore: cache, hashesBefore: hashes)
    }

    func testCorruptAudioFile() throws {
        let p = try copy()
        let (cache, hashes) = (p.cacheListing(), try p.outputHashes())
        try p.write("audio/bad.wav", "RIFF\u{0}\u{0}garbage that is not audio at all")
        try p.write("Buildfile.yaml", TestProject.buildfile.replacingOccurrences(of: "audio/two.wav", with: "audio/bad.wav"))
        assertCleanFailure(p, try p.ntsbuild("album"), mentions: "audio/bad.wav")
        try assertIntact(p, cacheBefore: cache, hashesBefore: hashes)
    }

    func testMalformedYAML() throws {
        let p = try copy()
        let (cache, hashes) = (p.cacheListing(), try p.outputHashes())
        try p.write("Buildfile.yaml", TestProject.buildfile.replacingOccurrences(of: "shards: {frames: 10}", with: "shards: {frames: 10"))
        assertCleanFailure(p, try p.ntsbuild("album"), mentions: "Buildfile.yaml:")
        try assertIntact(p, cacheBefore: cache, hashesBefore: hashes)
    }

    func testUnknownKey() throws {
        let p = try copy()
        let (cache, hashes) = (p.cacheListing(), try p.outputHashes())
        try p.write("Buildfile.yaml", TestProject.buildfile.replacingOccurrences(of: "encoder: {preset", with: "encoder: {presset"))
        assertCleanFailure(p, try p.ntsbuild("album"), mentions: "unknown key encoder.presset (did you mean encoder.preset?)")
        try assertIntact(p, cacheBefore: cache, hashesBefore: hashes)
    }

    func testWrongValueType() throws {
        let p = try copy()
        let (cache, hashes) = (p.cacheListing(), try p.outputHashes())
        let result = try p.ntsbuild("album", "--set", "output.fps=fast")
        assertCleanFailure(p, result, mentions: "output.fps: expected an integer")
        try assertIntact(p, cacheBefore: cache, hashesBefore: hashes)
    }
}
