import Foundation
import XCTest

/// The progress display as a person sees it: under a terminal (util-linux `script` gives the
/// build a pseudo-terminal) an overall line above the running nodes, and Ctrl-C that says what it
/// stops, stays on screen and ends with status 130; without a terminal, plain lines.
final class ProgressDisplayTests: XCTestCase {
    /// Bigger frames than the test project's, so a build lasts long enough to interrupt.
    static let slow = ["--set", "output.width=640", "--set", "output.height=480", "--set", "generator.hidden=48", "--set", "shards.frames=36"]

    func testOverallLineAndCtrlCUnderATerminal() throws {
        let p = try TestProject()
        let command = (["exec", "'\(CLI.binary)'", "album", "-j1"] + Self.slow).joined(separator: " ")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qfec", command, "/dev/null"]
        script.currentDirectoryURL = URL(fileURLWithPath: p.root)
        let output = Pipe()
        script.standardOutput = output
        script.standardInput = FileHandle.nullDevice
        let screen = Screen()
        output.fileHandleForReading.readabilityHandler = { screen.append($0.availableData) }
        try script.run()

        // Once a shard is rendering, press Ctrl-C (SIGINT to ntsbuild, the child of script).
        XCTAssertTrue(screen.wait(for: "frames:one:0000", timeout: 120), screen.text)
        let child = try XCTUnwrap(Self.child(of: script.processIdentifier))
        kill(child, SIGINT)
        script.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        let text = screen.plain

        XCTAssertEqual(script.terminationStatus, 130, text)
        XCTAssertNotNil(text.range(of: #"\[ *\d+/\d+ nodes\]  frames \d+/\d+"#, options: .regularExpression), text)
        XCTAssertTrue(text.contains("ntsbuild: interrupted; stopping 1 running node (Ctrl-C again to abort)"), text)
        let summary = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("ntsbuild: ") && $0.contains(" run, ") })
        XCTAssertTrue(summary.contains("0 failed, 1 interrupted"), String(summary))
        XCTAssertTrue(text.hasSuffix("ntsbuild: error: interrupted\n"), text)
        XCTAssertTrue(screen.text.contains("\u{1B}["), "a terminal gets a live display")
    }

    func testPlainLinesWithoutATerminal() throws {
        let p = try TestProject()
        let build = try CLI.run(["album", "-j2"], in: p.root, environment: ["TERM": "dumb"])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertFalse(build.stderr.contains("\u{1B}"), "no cursor moves: \(build.stderr)")
        let lines = build.stderr.split(separator: "\n")
        XCTAssertLessThanOrEqual(lines.count, 8, "small nodes are not listed one by one:\n\(build.stderr)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("built  track:one") }, build.stderr)
    }

    /// The process whose parent is `pid`.
    static func child(of pid: Int32) -> Int32? {
        for _ in 0..<50 {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            for entry in entries {
                guard let candidate = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == pid { return candidate }
            }
            usleep(100_000)
        }
        return nil
    }
}

/// What a terminal received, appended from the pipe's reader thread.
final class Screen: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.broadcast()
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The text without escape sequences and carriage returns: the lines as they scrolled by.
    var plain: String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    func wait(for needle: String, timeout: TimeInterval) -> Bool {
        wait(count: 1, of: needle, timeout: timeout)
    }

    /// Waits until `needle` has appeared `count` times.
    func wait(count: Int, of needle: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while String(decoding: data, as: UTF8.self).components(separatedBy: needle).count - 1 < count {
            if !lock.wait(until: deadline) { return false }
        }
        return true
    }
}
