import Foundation
import XCTest

/// `presets` and `config show`: what there is to set, and where each value came from.
final class FindingYourWayTests: XCTestCase {
    func testPresetsAreListedWithTheirDescriptions() throws {
        let p = try TestProject()
        try FileManager.default.createDirectory(atPath: p.root + "/presets", withIntermediateDirectories: true)
        try p.write("presets/calm.yaml", "# calm — slow and quiet: long smoothing.\ncontroller: {smoothing: 1.0}\n")
        try p.write("presets/bare.yaml", "postfx: {grain: 0.1}\n")
        let list = try p.ntsbuild("presets")
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, "bare  (no description)\ncalm  slow and quiet: long smoothing.\n")
    }

    func testConfigShowSaysWhereEachValueCameFrom() throws {
        let p = try TestProject()
        let show = try p.ntsbuild("config", "show", "--track", "two", "--set", "encoder.crf=20")
        XCTAssertEqual(show.status, 0, show.stderr)
        let lines = show.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertEqual(lines.first, "track:two")
        XCTAssertTrue(lines.contains("encoder.crf 20 # --set encoder.crf=20"), show.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("output.width 96 # Buildfile.yaml:") }, show.stdout)
        XCTAssertTrue(lines.contains("encoder.keyframe_interval 60 # default"), show.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("controller.anchors null # Buildfile.yaml:") }, show.stdout)
        XCTAssertEqual(lines.count, 1 + 36, "every key once")

        let unknown = try p.ntsbuild("config", "show", "--track", "tow")
        XCTAssertEqual(unknown.status, 64)
        XCTAssertEqual(unknown.lastErrorLine, "ntsbuild: error: config show: unknown track 'tow' (did you mean two?)")
    }

    func testInitWritesABuildfileFromFileNamesAndTags() throws {
        let root = Scratch.fresh("init")
        try FileManager.default.createDirectory(atPath: root + "/music", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try WAV.write(path: root + "/music/02_signal path.wav", seconds: 1, bpm: 120, sampleRate: 22050, channels: 1)
        let tagged = Process()
        tagged.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        tagged.arguments = ["-v", "error", "-i", root + "/music/02_signal path.wav", "-metadata", "title=Null Hypothesis",
                            "-metadata", "artist=The Testers", "-metadata", "album=Proofs", root + "/music/01 - Null Hypothesis.flac"]
        try tagged.run()
        tagged.waitUntilExit()

        let made = try CLI.run(["init", "music/01 - Null Hypothesis.flac", "music/02_signal path.wav"], in: root)
        XCTAssertEqual(made.status, 0, made.stderr)
        let text = try String(contentsOfFile: root + "/Buildfile.yaml", encoding: .utf8)
        for line in ["  title: \"Proofs\"", "  artist: \"The Testers\"", "    - id: null-hypothesis", "      title: \"Null Hypothesis\"",
                     "      audio: \"music/01 - Null Hypothesis.flac\"", "    - id: signal-path", "      title: \"signal path\""] {
            XCTAssertTrue(text.contains(line + "\n"), "\(line) in\n\(text)")
        }
        let plan = try CLI.run(["-n"], in: root)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let again = try CLI.run(["init", "music/02_signal path.wav"], in: root)
        XCTAssertEqual(again.status, 64)
        XCTAssertEqual(again.lastErrorLine, "ntsbuild: error: init: Buildfile.yaml exists (--force replaces it)")
    }

    func testEveryKeyIsDocumented() throws {
        let keys = try CLI.run(["config", "show", "--keys"], in: NSTemporaryDirectory())
        XCTAssertEqual(keys.status, 0, keys.stderr)
        let lines = keys.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 2 * 36)
        for (key, meaning) in zip(lines.enumerated().filter { $0.offset % 2 == 0 }, lines.enumerated().filter { $0.offset % 2 == 1 }) {
            XCTAssertTrue(key.element.contains("; default "), String(key.element))
            XCTAssertGreaterThan(meaning.element.trimmingCharacters(in: .whitespaces).count, 10, "no meaning for \(key.element)")
        }
    }
}

/// Shell completion: argument-parser writes the scripts; the project's targets, presets and
/// `--set` keys and values come from ntsbuild itself, through the protocol the scripts use
/// (`ntsbuild ---completion <command> -- <argument> <word index> <cursor> <words…>`).
final class CompletionTests: XCTestCase {
    func complete(_ p: TestProject, _ argument: String, _ words: [String]) throws -> [String] {
        let current = words.last ?? ""
        let result = try CLI.run(["---completion", "build", "--", argument, String(words.count - 1), String(current.count)] + words, in: p.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testTargetsPresetsAndSettingsComplete() throws {
        let p = try TestProject()
        try FileManager.default.createDirectory(atPath: p.root + "/presets", withIntermediateDirectories: true)
        try p.write("presets/calm.yaml", "controller: {smoothing: 1.0}\n")
        XCTAssertEqual(try complete(p, "positional@0", ["ntsbuild", "build", "track:"]), ["track:one", "track:two"])
        XCTAssertEqual(try complete(p, "positional@0", ["ntsbuild", "build", "al"]), ["album"])
        XCTAssertEqual(try complete(p, "--preset", ["ntsbuild", "build", "--preset", "c"]), ["calm"])
        XCTAssertEqual(try complete(p, "--set", ["ntsbuild", "build", "--set", "encoder.pr"]), ["encoder.preset=", "encoder.profile="])
        XCTAssertEqual(try complete(p, "--set", ["ntsbuild", "build", "--set", "postfx.tone_curve=p"]), ["postfx.tone_curve=punch", "postfx.tone_curve=pastel"])
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLI.run(["--generate-completion-script", shell], in: p.root)
            XCTAssertEqual(script.status, 0, script.stderr)
            XCTAssertTrue(script.stdout.contains("---completion build -- --set"), "\(shell) asks ntsbuild for --set values")
        }
    }
}
