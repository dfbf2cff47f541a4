import Foundation
import XCTest

/// The quick loop of look development: `--trim` cuts a clip from the track's own shards (so it
/// shows exactly the full video's frames there), `--draft` renders small and fast, and both are
/// cached like any other node.
final class QuickPreviewTests: XCTestCase {
    func testAClipIsTheFullVideosFramesAtThatStretch() throws {
        let p = try TestProject()
        // Lossless video, so decoded frames are the encoded ones; trails, so the clip must replay
        // the trail from before its first frame.
        let look = ["--set", "encoder.crf=0", "--set", "postfx.trails=true", "--set", "postfx.grain=0.3"]
        let full = try CLI.run(["track:one", "-j2"] + look, in: p.root)
        XCTAssertEqual(full.status, 0, full.stderr)
        let fullFrames = try CLI.rgb24(p.latest + "/one.mp4")

        let clip = try CLI.run(["track:one", "-j2", "--trim", "0:01-0:02", "--json"] + look, in: p.root)
        XCTAssertEqual(clip.status, 0, clip.stderr)
        XCTAssertEqual(clip.nodes("built"), ["clip:one:12-24"], "the shards come from the cache")
        let clipFrames = try CLI.rgb24(p.latest + "/one-clip-12-24.mp4")
        let frameBytes = 96 * 64 * 3
        XCTAssertEqual(clipFrames.count, 12 * frameBytes, "1 s at 12 fps")
        XCTAssertEqual(clipFrames, fullFrames.subdata(in: 12 * frameBytes..<24 * frameBytes))
        let audio = try XCTUnwrap(CLI.probe(p.latest + "/one-clip-12-24.mp4")["format"] as? [String: Any])
        XCTAssertEqual(Double(audio["duration"] as? String ?? "") ?? 0, 1.0, accuracy: 0.1)

        let again = try CLI.run(["track:one", "--trim", "0:01-0:02", "--json"] + look, in: p.root)
        XCTAssertEqual(again.nodes("built"), [], "a clip is cached like everything else")
    }

    func testTrimMistakesAreUsageErrors() throws {
        let p = try TestProject()
        let backwards = try p.ntsbuild("--trim", "0:05-0:02", "-n")
        XCTAssertEqual(backwards.status, 64)
        XCTAssertEqual(backwards.lastErrorLine, "ntsbuild: error: --trim '0:05-0:02': expected FROM-TO with FROM before TO, in seconds or m:ss.s (e.g. 1:20-1:35)")
        let past = try p.ntsbuild("album", "--trim", "10-12", "-n")
        XCTAssertEqual(past.status, 64)
        XCTAssertEqual(past.lastErrorLine, "ntsbuild: error: --trim: 10.0–12.0 s is past the end of every track it names")
        let features = try p.ntsbuild("features:one", "--trim", "1-2", "-n")
        XCTAssertEqual(features.status, 64, features.stderr)
    }

    func testDraftRendersSmallAndFastAndASetStillWins() throws {
        let p = try TestProject()
        let draft = try CLI.run(["track:one", "--draft", "--set", "output.width=960", "--set", "output.height=640",
                                 "--set", "encoder.crf=20"], in: p.root)
        XCTAssertEqual(draft.status, 0, draft.stderr)
        let video = try XCTUnwrap(CLI.probeStream(p.latest + "/one.mp4"))
        XCTAssertEqual(video["width"] as? Int, 480)
        XCTAssertEqual(video["height"] as? Int, 320)
        let tracks = try XCTUnwrap(p.runJSON()["tracks"] as? [String: Any])
        let encoder = try XCTUnwrap((tracks["one"] as? [String: Any])?["encoder"] as? [String: Any])
        XCTAssertEqual(encoder["preset"] as? String, "ultrafast")
        XCTAssertEqual(encoder["crf"] as? Int, 20, "--set wins over the draft profile")
    }
}

/// `--watch`: a saved Buildfile builds again, and only what the change affects.
final class WatchTests: XCTestCase {
    func testAnEditedBuildfileRebuildsWhatItAffects() throws {
        let p = try TestProject()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["track:one", "--watch", "--json", "-j2"]
        process.currentDirectoryURL = URL(fileURLWithPath: p.root)
        // Events go to a file the test polls: simpler than a pipe reader for a long-lived child.
        let log = p.root + "/watch.jsonl"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        func summaries() -> Int {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: #""event":"summary""#).count - 1
        }
        func wait(for count: Int) -> Bool {
            let deadline = Date().addingTimeInterval(120)
            while summaries() < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            return summaries() >= count
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        XCTAssertTrue(wait(for: 1), "\(summaries()) summaries in \(log)")
        Thread.sleep(forTimeInterval: 1)  // past the first snapshot of the watched files
        try p.write("Buildfile.yaml", TestProject.buildfile + "\npostfx: {vignette: 0.6}\n")
        XCTAssertTrue(wait(for: 2), "\(summaries()) summaries in \(log)")
        process.interrupt()
        process.waitUntilExit()

        let second = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: #""event":"summary""#)[1]
        let built = second.split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == "built" else { return nil }
            return object["node"] as? String
        }
        XCTAssertEqual(built, ["track:one"], "a post-effect change re-encodes the track only")
    }
}
