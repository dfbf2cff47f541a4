import Foundation
import XCTest

/// `album.cut.crossfade`: the joins are blended, the album is shorter by one overlap per join,
/// and only the album node runs again.
final class CrossfadeTests: XCTestCase {
    func seconds(_ value: Any?) -> Double { Double(value as? String ?? "") ?? -1 }

    func crossfaded(_ p: TestProject, _ fade: String) throws {
        try p.write("Buildfile.yaml", TestProject.buildfile.replacingOccurrences(of: "  artist: Tester\n", with: "  artist: Tester\n  cut: {crossfade: \(fade)}\n"))
    }

    func testCrossfadedAlbumIsShorterByTheOverlapAndKeepsChapters() throws {
        let p = try TestProject(copying: EndToEndTests.baseline)
        try crossfaded(p, "0.5")
        let build = try p.ntsbuild("album", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.nodes("built"), ["album"], "tracks, shards and previews are reused")

        let info = try CLI.probe(p.latest + "/album.mp4")
        let streams = info["streams"] as? [[String: Any]] ?? []
        let video = try XCTUnwrap(streams.first { $0["codec_type"] as? String == "video" })
        let audio = try XCTUnwrap(streams.first { $0["codec_type"] as? String == "audio" })
        XCTAssertEqual(video["codec_name"] as? String, "h264")
        XCTAssertEqual(audio["codec_name"] as? String, "aac")
        // one.wav 3 s + two.wav 2 s (trimmed) − one 0.5 s overlap.
        XCTAssertEqual(seconds(video["duration"]), 4.5, accuracy: 1.0 / 12)
        XCTAssertEqual(seconds(audio["duration"]), 4.5, accuracy: 1.0 / 12)
        let chapters = info["chapters"] as? [[String: Any]] ?? []
        XCTAssertEqual(chapters.compactMap { ($0["tags"] as? [String: Any])?["title"] as? String }, ["One", "Two"])
        XCTAssertEqual(seconds(chapters.last?["start_time"]), 2.5, accuracy: 0.01, "the second track starts where the fade begins")

        // The middle of the fade is neither track's frame: it mixes both.
        let cut = [UInt8](try CLI.rgb24(p.latest + "/album.mp4"))
        let plain = [UInt8](try CLI.rgb24(EndToEndTests.baseline.latest + "/album.mp4"))
        let frame = 96 * 64 * 3
        XCTAssertEqual(cut.count, 54 * frame)
        func difference(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Double {
            zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(frame)
        }
        // Before the fade the cut shows track one (re-encoded: a little generation loss); in the
        // middle of the join (frames 30–35) it departs from it by much more.
        let before = difference(cut[0..<frame], plain[0..<frame])
        let middle = 33
        let blended = difference(cut[(middle * frame)..<((middle + 1) * frame)], plain[(middle * frame)..<((middle + 1) * frame)])
        print("crossfade: frame 0 differs by \(before), frame 33 by \(blended)")
        XCTAssertLessThan(before, 6, "before the fade: track one as it was")
        XCTAssertGreaterThan(blended, 2 * before)

        try crossfaded(p, "2.0")
        let tooLong = try p.ntsbuild("album")
        XCTAssertNotEqual(tooLong.status, 0)
        XCTAssertTrue(tooLong.lastErrorLine.contains("album.cut.crossfade: 2.0 s is too long for track 'two'"), tooLong.stderr)
    }
}
