import Foundation
import XCTest
@testable import Nodes

/// Values that used to pass `-n` and fail only when the run was published or the track encoded,
/// after every frame: they are refused when the Buildfile is read, all of them at once, each at
/// its key's file:line:column.
final class ConfigValidationTests: XCTestCase {
    /// The error lines of loading `buildfile` (empty when it loads), with the temporary folder cut.
    func errors(_ buildfile: String, sets: [String] = []) throws -> [String] {
        let root = NSTemporaryDirectory() + "ntsbuild-validation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data(buildfile.utf8).write(to: URL(fileURLWithPath: root + "/Buildfile.yaml"))
        do {
            _ = try BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: Overrides(sets: sets))
            return []
        } catch let error as ConfigError {
            return [error.description.replacingOccurrences(of: root + "/", with: "")]
        } catch let errors as ConfigErrors {
            return errors.errors.map { $0.description.replacingOccurrences(of: root + "/", with: "") }
        }
    }

    func album(_ ids: String...) -> String {
        "album:\n  tracks:\n" + ids.map { "    - id: \($0)\n      audio: a.wav\n" }.joined()
    }

    func testTrackIDsCannotTakeTheAlbumsFileNames() throws {
        XCTAssertEqual(try errors(album("one", "album")),
                       ["Buildfile.yaml:5:11: track id 'album' is reserved: its output album.mp4 would overwrite the album's"])
        for published in RunRecord.fileNames(ofTrack: "any") {
            XCTAssertFalse(RunRecord.albumFileNames.contains(published))
        }
    }

    func testTrackIDsTooLongForTheFileSystemFailAtLoad() throws {
        let longest = String(repeating: "x", count: 235)
        XCTAssertEqual(try errors(album(longest)), [])
        let message = try XCTUnwrap(try errors(album(longest + "y")).first)
        XCTAssertTrue(message.hasPrefix("Buildfile.yaml:3:11: track id is 236 characters long; at most 235 fit"), message)
        // What the limit protects: every file named after the longest id can be created here, and
        // one more character cannot.
        let dir = NSTemporaryDirectory() + "ntsbuild-names-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = RunRecord.fileNames(ofTrack: longest) + ConfigValidation.cacheFileNames(ofTrack: longest)
        for name in names {
            XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data()), name)
        }
        XCTAssertFalse(FileManager.default.createFile(atPath: dir + "/" + names.max { $0.count < $1.count }! + "x", contents: Data()))
    }

    func testEncoderValuesAreCheckedAtTheirKeys() throws {
        let file = album("one") + "output: {width: 1281}\nencoder:\n  audio_bitrate: 192kk\n  pixel_format: yuv444p\n  profile: main\n"
        XCTAssertEqual(try errors(file), [
            "Buildfile.yaml:7:3: encoder.audio_bitrate: expected a bitrate such as 192k (8k to 1M), got '192kk'",
            "Buildfile.yaml:9:3: encoder.profile: H.264 profile main cannot carry yuv444p (use profile high) (encoder.pixel_format set at Buildfile.yaml:8:3)",
        ], "4:4:4 takes odd sizes")
        XCTAssertEqual(try errors(album("one"), sets: ["output.height=719"]),
                       ["--set output.height=719: output.height: video size 1280x719 must be even for yuv420p (4:2:0 chroma); use yuv444p for odd sizes"])
        XCTAssertEqual(try errors(album("one"), sets: ["encoder.crf=0", "encoder.profile=baseline"]),
                       ["--set encoder.profile=baseline: encoder.profile: H.264 profile baseline cannot carry lossless (crf 0) (use profile high) (encoder.crf set at --set encoder.crf=0)"])
        for bad in ["192kk", "-5k", "0", "1e400k", "nan", "5"] {
            XCTAssertEqual(try errors(album("one"), sets: ["encoder.audio_bitrate=\(bad)"]).count, 1, bad)
        }
        for good in ["192k", "128000", "96.5k", "320K", "1M"] {
            XCTAssertEqual(try errors(album("one"), sets: ["encoder.audio_bitrate=\(good)"]), [], good)
        }
        XCTAssertEqual(try errors(album("one"), sets: ["features.n_fft=301"]),
                       ["--set features.n_fft=301: features.n_fft: must be an even number ≥ 16, got 301"])
        XCTAssertEqual(try errors(album("one") + "features:\n  n_fft: 256\n  mel_bands: 200\n"),
                       ["Buildfile.yaml:7:3: features.mel_bands: must be in 1...129 for n_fft 256, got 200"])
        XCTAssertEqual(try errors(album("one"), sets: ["output.width=1281", "encoder.pixel_format=yuv444p"]), [])
    }

    func testEveryMistakeOfABuildfileIsReportedOnce() throws {
        let file = """
        controller: {pulse: 99, motion: high}
        encoder: {crf: 0, profile: main}
        album:
          title: T
          colour: red
          tracks:
            - id: one
              audio: a.wav
              set: {output.width: 7}
            - id: Two
              audio: b.wav
            - id: one
              audio: c.wav
              trim: {start: 2, end: 1}
        """
        let found = try errors(file)
        XCTAssertEqual(found, [
            "Buildfile.yaml:1:14: controller.pulse: expected a number in 0.0...10.0, got '99'",
            "Buildfile.yaml:1:25: controller.motion: expected a number in 0.0...10.0, got 'high'",
            "Buildfile.yaml:2:19: encoder.profile: H.264 profile main cannot carry lossless (crf 0) (use profile high) (encoder.crf set at Buildfile.yaml:2:11)",
            "Buildfile.yaml:5:3: unknown key album.colour",
            "Buildfile.yaml:9:13: output.width: expected an integer in 16...7680, got '7'",
            "Buildfile.yaml:10:11: track id 'Two' must match [a-z0-9-]+",
            "Buildfile.yaml:14:13: trim: need 0 ≤ start < end",
        ], "in the order of the file")
        XCTAssertTrue(found.allSatisfy { $0.range(of: #"^Buildfile\.yaml:\d+:\d+: "#, options: .regularExpression) != nil }, "\(found)")
    }

    func testDuplicateTrackIDPointsAtTheSecondOccurrence() throws {
        XCTAssertEqual(try errors(album("one", "two", "one")), ["Buildfile.yaml:7:11: track id 'one' is used twice"])
    }
}
