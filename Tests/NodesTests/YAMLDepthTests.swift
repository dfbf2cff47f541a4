import Foundation
import XCTest
@testable import Nodes

/// Deeply nested YAML (in a Buildfile, a preset or a `--set` value) is a one-line error at the
/// node that goes too deep, not a stack overflow.
final class YAMLDepthTests: XCTestCase {
    var root: String!

    override func setUp() {
        root = NSTemporaryDirectory() + "ntsbuild-yamldepth-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root + "/presets", withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func loadError(_ buildfile: String, _ overrides: Overrides = Overrides()) -> String {
        _ = FileManager.default.createFile(atPath: root + "/Buildfile.yaml", contents: Data(buildfile.utf8))
        do {
            _ = try BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: overrides)
            return "no error"
        } catch {
            return String(describing: error).replacingOccurrences(of: root + "/", with: "")
        }
    }

    let album = "album:\n  title: T\n  tracks:\n    - id: one\n      audio: a.wav\n"

    func testDeepFlowNestingInTheBuildfile() {
        let deep = "x: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        // Level 1 is the document's mapping, so the 65th level is the 64th `[`, at column 3 + 64.
        XCTAssertEqual(loadError(deep + album), "Buildfile.yaml:1:67: malformed YAML: nested 65 levels deep (at most 64)")
    }

    func testDeepBlockNesting() {
        var text = ""
        for level in 0..<3000 { text += String(repeating: " ", count: level) + "k:\n" }
        XCTAssertEqual(loadError(text), "Buildfile.yaml:65:65: malformed YAML: nested 65 levels deep (at most 64)")
        // Compact nested sequences on one line.
        XCTAssertEqual(loadError(String(repeating: "- ", count: 3000) + "x\n"),
                       "Buildfile.yaml:1:129: malformed YAML: nested 65 levels deep (at most 64)")
    }

    func testDeepPresetAndSetValue() {
        let deep = String(repeating: "{a: ", count: 5000) + "1" + String(repeating: "}", count: 5000)
        _ = FileManager.default.createFile(atPath: root + "/presets/deep.yaml", contents: Data("controller: \(deep)\n".utf8))
        XCTAssertTrue(loadError(album, Overrides(presets: ["deep"])).hasPrefix("presets/deep.yaml:1:"), loadError(album, Overrides(presets: ["deep"])))
        let set = loadError(album, Overrides(sets: ["encoder.crf=" + String(repeating: "[", count: 5000)]))
        XCTAssertTrue(set.hasPrefix("--set encoder.crf=[[[") && set.contains(":1:65: malformed YAML: nested 65 levels deep"), String(set.suffix(80)))
        XCTAssertFalse(set.contains("\n"))
    }

    /// Aliases copy their anchor's tree into place, so their depth counts where they are used.
    func testAliasesCountTheDepthTheyExpandTo() {
        // 40 levels under `a`, used under 1 + 30 levels in `b`: 71 levels once composed.
        let chunk = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let text = "a: &a \(chunk)\nb: &b " + String(repeating: "[", count: 30) + "*a" + String(repeating: "]", count: 30) + "\n" + album
        XCTAssertTrue(loadError(text).hasPrefix("Buildfile.yaml:2:37: malformed YAML: nested 71 levels deep"), loadError(text))
    }

    /// Nesting up to the limit is not this error (here: an unknown key, found after parsing).
    func testNestingAtTheLimitParses() {
        let ok = "x: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n" + album
        XCTAssertFalse(loadError(ok).contains("levels deep"), loadError(ok))
    }

    /// Found by fuzzing: a key spanning lines (a plain multi-line key, a quoted "\n") made the
    /// unknown-key error several lines long.
    func testKeysWithLineBreaksStayOnOneLine() {
        let quoted = loadError("\"enc\\noder\": 1\n" + album)
        XCTAssertTrue(quoted.hasPrefix(#"Buildfile.yaml:1:1: unknown key enc\noder"#), quoted)
        let plain = loadError("? trac>\r\n \n    \n  tdc\n: 1\n" + album)
        XCTAssertFalse(plain.contains("\n"), plain)
        XCTAssertTrue(plain.hasPrefix(#"Buildfile.yaml:1:3: unknown key trac>\n\ntdc"#), plain)
    }
}
