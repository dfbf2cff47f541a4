import Foundation
import XCTest

/// The album cut copies the tracks' video streams, so tracks whose encoder settings change the
/// stream's decoder configuration cannot be joined. That is said before anything renders (at
/// `-n`, and by a build before its first node), in one line naming the track and the key.
final class AlbumJoinCLITests: XCTestCase {
    /// The test project with `set` (a YAML flow mapping's inside) on track two.
    func project(set: String, crossfade: Bool = false) throws -> TestProject {
        var buildfile = TestProject.buildfile.replacingOccurrences(
            of: "trim: {start: 0.5, end: null}", with: "trim: {start: 0.5, end: null}\n      set: {\(set)}")
        if crossfade { buildfile = buildfile.replacingOccurrences(of: "  artist: Tester", with: "  artist: Tester\n  cut: {crossfade: 0.25}") }
        return try TestProject(buildfile: buildfile)
    }

    func testSettingsTheCutCannotCopyFailTheDryRunNamingTrackAndKey() throws {
        for (key, value) in [("encoder.crf", "28"), ("encoder.preset", "veryfast"), ("encoder.pixel_format", "yuv444p"),
                             ("encoder.profile", "main"), ("output.fps", "10"), ("output.width", "128")] {
            let p = try project(set: "\(key): \(value)")
            let dry = try p.ntsbuild("-n")
            XCTAssertEqual(dry.status, 65, "\(key): \(dry.stderr)")
            XCTAssertEqual(dry.stderr.split(separator: "\n").count, 1, dry.stderr)
            XCTAssertTrue(dry.stderr.contains("track 'two' has \(key) \(value) (set at Buildfile.yaml:"), dry.stderr)
            // The tracks alone still build.
            XCTAssertEqual(try p.ntsbuild("-n", "track:two").status, 0, key)
        }
    }

    func testABuildOfTheAlbumFailsBeforeRenderingAnything() throws {
        let p = try project(set: "encoder.crf: 28")
        let build = try p.ntsbuild()
        XCTAssertEqual(build.status, 65, build.stderr)
        XCTAssertTrue(build.lastErrorLine.contains("track 'two' has encoder.crf 28"), build.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p.latest), "no run folder")
        XCTAssertTrue(p.cacheListing().keys.filter { $0.hasPrefix("objects") }.isEmpty, "nothing rendered: \(p.cacheListing())")
    }

    /// Keys that leave the decoder configuration alone may differ, and a crossfaded cut (which
    /// re-encodes) takes any encoder settings; both albums play to their end.
    func testSettingsTheCutCanJoinStillMakeAPlayableAlbum() throws {
        for (set, crossfade) in [("encoder.threads: 1, encoder.keyframe_interval: 5", false),
                                 ("encoder.crf: 28, encoder.pixel_format: yuv444p", true)] {
            let p = try project(set: set, crossfade: crossfade)
            let build = try p.ntsbuild()
            XCTAssertEqual(build.status, 0, "\(set): \(build.stderr)")
            let decode = Process()
            decode.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            decode.arguments = ["-v", "error", "-xerror", "-i", p.latest + "/album.mp4", "-f", "null", "-"]
            let err = Pipe()
            decode.standardError = err
            try decode.run()
            let messages = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            decode.waitUntilExit()
            XCTAssertEqual(decode.terminationStatus, 0, "\(set): \(messages)")
            XCTAssertEqual(messages, "", set)
        }
    }

    func testSourcesOfDifferentSampleRatesFailTheDryRun() throws {
        let p = try TestProject()
        try WAV.write(path: p.root + "/audio/two.wav", seconds: 2.5, bpm: 90, sampleRate: 44100, channels: 2)
        let dry = try p.ntsbuild("-n")
        XCTAssertEqual(dry.status, 65, dry.stderr)
        XCTAssertEqual(dry.stderr.split(separator: "\n").count, 1, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("track 'two' audio audio/two.wav is 44100 Hz × 2 ch, track 'one' 22050 Hz × 2 ch"), dry.stderr)
    }
}
