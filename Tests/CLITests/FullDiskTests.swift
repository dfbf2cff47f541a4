import Foundation
import XCTest

/// A disk that fills up mid-build: the build fails, nothing partial lands in the cache under a
/// real name, and once there is room the next build finishes with the bytes of a clean build.
final class FullDiskTests: XCTestCase {
    /// Runs the binary with a file-size limit (`ulimit -f`, in 512-byte blocks): a write past it
    /// fails (EFBIG, SIGXFSZ ignored) as a write to a full disk does (ENOSPC).
    func runWithFileSizeLimit(blocks: Int, _ arguments: [String], in directory: String) throws -> CLI.Result {
        let script = "trap '' XFSZ; ulimit -f \(blocks); exec \"$0\" \"$@\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, CLI.binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testABuildThatRunsOutOfSpaceFailsCleanlyAndTheNextOneFinishes() throws {
        let reference = try EndToEndTests.baseline.outputHashes()
        let p = try TestProject()
        // 16 KiB per file: the features and rows fit, the frame shards and videos do not.
        let full = try runWithFileSizeLimit(blocks: 32, ["album", "-j2"], in: p.root)
        XCTAssertNotEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.lastErrorLine.hasPrefix("ntsbuild: error: "), full.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p.latest), "no run folder for a failed build")
        let verify = try p.ntsbuild("cache", "verify")
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains(" 0 corrupt"), verify.stdout)

        let resumed = try p.ntsbuild("album", "-j2", "--json")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertGreaterThan(resumed.nodes("reused").count, 0, "what fitted before the disk filled is reused")
        XCTAssertEqual(try p.outputHashes(), reference)
    }
}
