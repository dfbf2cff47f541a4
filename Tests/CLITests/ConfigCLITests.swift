import Foundation
import XCTest

/// Mistakes a user makes in the Buildfile or on the command line are caught before anything is
/// rendered, all at once, each on a line with its place; nothing is left half-done.
final class ConfigCLITests: XCTestCase {
    func errorLines(_ result: CLI.Result) -> [String] {
        result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ntsbuild: error: ") }
    }

    func assertNothingRendered(_ p: TestProject, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(FileManager.default.fileExists(atPath: p.root + "/renders"), "no run folder", file: file, line: line)
        XCTAssertEqual(p.cacheListing().keys.filter { $0.hasPrefix("objects/") }, [], "nothing rendered", file: file, line: line)
    }

    func testEncoderMistakesAreAllReportedBeforeRendering() throws {
        let buildfile = TestProject.buildfile
            .replacingOccurrences(of: "output: {width: 96,", with: "output: {width: 97,")
            .replacingOccurrences(of: "encoder: {preset: ultrafast, crf: 30}", with: "encoder: {preset: ultrafast, crf: 30, audio_bitrate: 192kk}")
        let p = try TestProject(buildfile: buildfile)
        for arguments in [["-n"], ["album", "-j2"]] {
            let result = try CLI.run(arguments + ["--set", "encoder.profile=main", "--set", "encoder.pixel_format=yuv444p"], in: p.root)
            XCTAssertEqual(result.status, 65, result.stderr)
            XCTAssertEqual(errorLines(result), [
                "ntsbuild: error: --set encoder.profile=main: encoder.profile: H.264 profile main cannot carry yuv444p (use profile high) (encoder.pixel_format set at --set encoder.pixel_format=yuv444p)",
                "ntsbuild: error: Buildfile.yaml:15:39: encoder.audio_bitrate: expected a bitrate such as 192k (8k to 1M), got '192kk'",
            ], "4:4:4 takes the odd width; the rest, one line each")
        }
        let odd = try p.ntsbuild("-n", "--set", "encoder.audio_bitrate=128k")
        XCTAssertEqual(errorLines(odd), [
            "ntsbuild: error: Buildfile.yaml:12:10: output.width: video size 97x64 must be even for yuv420p (4:2:0 chroma); use yuv444p for odd sizes",
        ])
        assertNothingRendered(p)
        // 4:4:4 has no such limit, and the odd size renders.
        let full = try p.ntsbuild("track:one", "-j2", "--set", "encoder.audio_bitrate=128k", "--set", "encoder.pixel_format=yuv444p")
        XCTAssertEqual(full.status, 0, full.stderr)
        let video = try XCTUnwrap(CLI.probeStream(p.latest + "/one.mp4"))
        XCTAssertEqual(video["width"] as? Int, 97)
        XCTAssertEqual(video["pix_fmt"] as? String, "yuv444p")
    }

    func testTrackIDsThatWouldNameClashingOrOverlongFilesAreRefusedAtLoad() throws {
        let album = try TestProject(buildfile: TestProject.buildfile.replacingOccurrences(of: "id: two", with: "id: album"))
        let clash = try album.ntsbuild("album", "-j2")
        XCTAssertEqual(clash.status, 65)
        XCTAssertEqual(errorLines(clash), ["ntsbuild: error: Buildfile.yaml:8:11: track id 'album' is reserved: its output album.mp4 would overwrite the album's"])
        assertNothingRendered(album)

        let long = String(repeating: "a", count: 240)
        let overlong = try TestProject(buildfile: TestProject.buildfile.replacingOccurrences(of: "id: two", with: "id: \(long)"))
        let result = try overlong.ntsbuild("album", "-j2")
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.lastErrorLine.hasPrefix("ntsbuild: error: Buildfile.yaml:8:11: track id is 240 characters long; at most 235 fit"), result.stderr)
        assertNothingRendered(overlong)

        let twice = try TestProject(buildfile: TestProject.buildfile.replacingOccurrences(of: "id: two", with: "id: one"))
        XCTAssertEqual(errorLines(try twice.ntsbuild("-n")), ["ntsbuild: error: Buildfile.yaml:8:11: track id 'one' is used twice"])
    }
}
