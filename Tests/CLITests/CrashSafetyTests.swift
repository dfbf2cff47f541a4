import Foundation
import XCTest

/// The cache survives what users do to it: `kill -9` at any moment, two builds at once.
final class CrashSafetyTests: XCTestCase {
    /// A clean build's outputs and how long it took, for comparison.
    static let reference: (hashes: [String: String], seconds: Double) = {
        let project = try! TestProject()
        let start = Date()
        let result = try! project.ntsbuild("album", "-j2")
        precondition(result.status == 0, "reference build failed: \(result.stderr)")
        return (try! project.outputHashes(), Date().timeIntervalSince(start))
    }()

    func launch(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testKillNineAtRandomMomentsThenBuildMatchesACleanBuild() throws {
        let reference = Self.reference
        let p = try TestProject()
        var random = SplitMix64(seed: 20261122)
        var killedMidBuild = 0
        for i in 0..<24 {
            // Every third build is the reference config, which makes progress across the kills;
            // the others change the controller seed, so that every build has frames, tracks
            // and the album to make, and the kills land in every stage.
            let config = i % 3 == 0 ? [] : ["--set", "controller.wander_seed=\(100 + i)"]
            let process = try launch(["album", "-j2"] + config, in: p.root)
            // Anywhere from start-up to three quarters of a whole clean build (builds that reuse
            // part of the cache end sooner, and a kill after the end tests nothing).
            let delay = Double(random.next() % 1000) / 1000 * reference.seconds * 0.75
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidBuild += 1
            }
            process.waitUntilExit()
        }
        XCTAssertGreaterThanOrEqual(killedMidBuild, 18, "too few kills landed during a build")

        let final = try p.ntsbuild("album", "-j2")
        XCTAssertEqual(final.status, 0, final.stderr)
        XCTAssertEqual(try p.outputHashes(), reference.hashes)
        // No object under a real name is partial or corrupt.
        let verify = try p.ntsbuild("cache", "verify")
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains(" 0 corrupt"), verify.stdout)
        // And nothing is rebuilt a second time.
        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.nodes("built"), [])
    }

    func testCtrlCStopsLaunchingWorkAndLeavesTheCacheValid() throws {
        let reference = Self.reference
        let p = try TestProject()
        let process = try launch(["album", "-j2"], in: p.root)
        Thread.sleep(forTimeInterval: reference.seconds * 0.4)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0, "an interrupted build does not report success")
        XCTAssertFalse(FileManager.default.fileExists(atPath: p.latest), "no run record for an interrupted build")
        let resumed = try p.ntsbuild("album", "--json")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertGreaterThan(resumed.nodes("reused").count, 0, "what finished before Ctrl-C is reused")
        XCTAssertEqual(try p.outputHashes(), reference.hashes)
    }

    func testTwoProcessesBuildingOverlappingTargetsOnOneCacheBothSucceed() throws {
        let reference = Self.reference
        let p = try TestProject()
        let album = try launch(["album", "-j1"], in: p.root)
        let track = try launch(["track:one", "-j1"], in: p.root)
        album.waitUntilExit()
        track.waitUntilExit()
        XCTAssertEqual(album.terminationStatus, 0)
        XCTAssertEqual(track.terminationStatus, 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: p.root + "/renders").filter { $0.hasPrefix("run-") }
        XCTAssertEqual(runs.count, 2, "each process gets its own run folder: \(runs)")

        let again = try p.ntsbuild("album", "--json")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.nodes("built"), [], "the two builds left a complete, consistent cache")
        XCTAssertEqual(try p.outputHashes(), reference.hashes)
        let verify = try p.ntsbuild("cache", "verify")
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}

/// A tiny seeded generator, so the kill moments are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
