import Foundation
import XCTest

/// What a user of make, ninja or cargo expects of a command line: exit statuses by kind of
/// mistake, suggestions, `-C DIR`, options before the subcommand, plans on stdout, calm help,
/// a `--json` stream a tool can rely on, and no new run folder for a build that changed nothing.
final class CommandLineConventionsTests: XCTestCase {
    /// Built once; each test copies it.
    static let built: TestProject = {
        let p = try! TestProject()
        let result = try! p.ntsbuild("album", "-j2")
        precondition(result.status == 0, result.stderr)
        return p
    }()

    func testExitStatusesSayWhatKindOfMistakeItWas() throws {
        let p = try TestProject(copying: Self.built)
        let missing = try CLI.run(["-n"], in: NSTemporaryDirectory())
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertEqual(missing.lastErrorLine, "ntsbuild: error: Buildfile.yaml: Buildfile not found")
        XCTAssertEqual(try p.ntsbuild("-n", "--set", "encoder.crf=99").status, 64, "a bad --set is a usage error")
        XCTAssertEqual(try p.ntsbuild("track:three").status, 64, "an unknown target is a usage error")
        try p.write("bad.yaml", TestProject.buildfile.replacingOccurrences(of: "crf: 30", with: "crf: 300"))
        XCTAssertEqual(try p.ntsbuild("-f", "bad.yaml", "-n").status, 65, "a bad Buildfile")
        try p.write("gone.yaml", TestProject.buildfile.replacingOccurrences(of: "audio/two.wav", with: "audio/gone.wav"))
        XCTAssertEqual(try p.ntsbuild("-f", "gone.yaml", "-n").status, 66, "a missing audio file")
    }

    func testMistypedCommandsAndBareTrackIDsGetSuggestions() throws {
        let p = try TestProject(copying: Self.built)
        let typo = try p.ntsbuild("expain")
        XCTAssertEqual(typo.status, 64)
        XCTAssertEqual(typo.lastErrorLine, "ntsbuild: error: unknown command or target 'expain' (did you mean the command 'explain'?)")
        let bare = try p.ntsbuild("one")
        XCTAssertEqual(bare.status, 64)
        XCTAssertEqual(bare.lastErrorLine, "ntsbuild: error: unknown target 'one' (did you mean track:one?)")
    }

    func testDirectoryOptionAndOptionsBeforeTheSubcommand() throws {
        let p = try TestProject(copying: Self.built)
        let elsewhere = try CLI.run(["-C", p.root, "targets"], in: NSTemporaryDirectory())
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stdout.contains("track:one"), elsewhere.stdout)
        let before = try CLI.run(["-C", p.root, "-f", "Buildfile.yaml", "explain", "album"], in: NSTemporaryDirectory())
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout, "album is up to date\n")
        let nowhere = try CLI.run(["-C", p.root + "/nowhere", "-n"], in: NSTemporaryDirectory())
        XCTAssertEqual(nowhere.status, 66)
        XCTAssertEqual(nowhere.lastErrorLine, "ntsbuild: error: -C \(p.root)/nowhere: no such directory")
    }

    func testHelpSaysEachDefaultOnce() throws {
        for command in ["build", "still", "styles", "graph", "explain", "verify"] {
            let help = try CLI.run([command, "--help"], in: NSTemporaryDirectory())
            XCTAssertEqual(help.status, 0)
            // argument-parser wraps help at 80 columns: join an option's lines before counting.
            let options = help.stdout.components(separatedBy: "\n  -").map { $0.replacingOccurrences(of: "\n", with: " ") }
            for option in options {
                XCTAssertLessThanOrEqual(option.components(separatedBy: "(default").count - 1, 1, "\(command): \(option)")
            }
            for option in options where option.hasPrefix("j, --jobs") {
                XCTAssertTrue(option.contains("(default: the number of cores)"), "\(command): the job count is the machine's: \(option)")
            }
        }
    }

    func testPlansGoToStdoutInBuildOrderWithLikeNodesFolded() throws {
        let p = try TestProject(copying: Self.built)
        let plan = try p.ntsbuild("-n", "--set", "controller.wander_seed=3")
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let lines = plan.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "trajectory:one: config controller.wander_seed changed 42 → 3", plan.stdout)
        XCTAssertTrue(lines.contains("rows:one:0000–0003 (4 nodes): input trajectory:one will be rebuilt"), plan.stdout)
        let trajectory = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("trajectory:two") })
        let album = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("album") })
        XCTAssertLessThan(trajectory, album, "build order")
        XCTAssertTrue(plan.stderr.contains("would run"), plan.stderr)
        XCTAssertFalse(plan.stderr.contains("config controller"), "reasons are on stdout only")
    }

    func testDotLabelsBreakLinesTheWayGraphvizReadsThem() throws {
        let p = try TestProject(copying: Self.built)
        let dot = try p.ntsbuild("graph", "track:one", "--format", "dot")
        XCTAssertEqual(dot.status, 0, dot.stderr)
        XCTAssertTrue(dot.stdout.contains(#"[label="rows:one:0000\ntrajectory rows 0..8"]"#), dot.stdout)
        XCTAssertFalse(dot.stdout.contains(#"\\n"#), "no escaped backslash before n")
    }

    func testJSONStreamCountsFramesThrottlesProgressAndReportsErrors() throws {
        let p = try TestProject(copying: Self.built)
        let result = try p.ntsbuild("album", "--json", "-j1", "--set", "controller.wander_seed=5")
        XCTAssertEqual(result.status, 0, result.stderr)
        let events = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let summary = try XCTUnwrap(events.last)
        XCTAssertEqual(summary["event"] as? String, "summary")
        XCTAssertEqual(summary["frames_rendered"] as? Int, 36 + 24, "3 s + 2 s (2.5 s from 0.5 s) at 12 fps")
        let progress = events.filter { $0["event"] as? String == "progress" }
        XCTAssertLessThan(progress.count, 60, "fewer progress events than frames")
        let started = try XCTUnwrap(events.first { $0["event"] as? String == "started" && $0["node"] as? String == "trajectory:one" })
        let why = try XCTUnwrap((started["why"] as? [[String: String]])?.first)
        XCTAssertEqual(why, ["kind": "config", "key": "controller.wander_seed", "old": "42", "new": "5"])

        let bad = try p.ntsbuild("album", "--json", "--set", "encoder.crf=99")
        XCTAssertEqual(bad.status, 64)
        let error = try XCTUnwrap(bad.stdout.split(separator: "\n").last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        XCTAssertEqual(error["event"] as? String, "error")
        XCTAssertEqual(error["exit_status"] as? Int, 64)
        XCTAssertTrue((error["message"] as? String ?? "").contains("encoder.crf"), "\(error)")
    }

    func testABuildThatChangesNothingAddsNoRunFolder() throws {
        let p = try TestProject(copying: Self.built)
        let runs = { try FileManager.default.contentsOfDirectory(atPath: p.root + "/renders").filter { $0.hasPrefix("run-") }.sorted() }
        let before = try runs()
        let again = try p.ntsbuild("album")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.lastErrorLine.contains("outputs unchanged in"), again.stderr)
        XCTAssertEqual(try runs(), before)
        // An edited published file is not "unchanged": a new run publishes good copies.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: p.latest + "/one.mp4"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        let repaired = try p.ntsbuild("album")
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertEqual(try runs().count, before.count + 1)
        XCTAssertEqual(try p.ntsbuild("verify", "--shards", "0").status, 0)
    }
}
