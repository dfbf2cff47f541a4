import Foundation
import XCTest

/// Paths given on the command line: what is wrong with them said plainly, and `-f` accepted
/// wherever a command needs to find the project.
final class PathOptionsTests: XCTestCase {
    func testStillSaysWhatIsWrongWithTheOutputPath() throws {
        let p = try TestProject()
        try FileManager.default.createDirectory(atPath: p.root + "/stills", withIntermediateDirectories: true)
        let directory = try p.ntsbuild("still", "track:one", "--at", "1", "-o", "stills")
        XCTAssertEqual(directory.status, 1)
        XCTAssertEqual(directory.lastErrorLine, "ntsbuild: error: stills: is a directory (name a file to write)")
        let missing = try p.ntsbuild("still", "track:one", "--at", "1", "-o", "nowhere/frame.png")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.lastErrorLine, "ntsbuild: error: nowhere/frame.png: no such directory nowhere")
        XCTAssertEqual(try p.ntsbuild("still", "track:one", "--at", "1", "-o", "stills/frame.png").status, 0)
    }

    func testVerifyAndCacheVerifyBothTakeTheBuildfile() throws {
        let p = try TestProject()
        XCTAssertEqual(try p.ntsbuild("track:one", "-j2").status, 0)
        let elsewhere = NSTemporaryDirectory()
        for command in [["verify", "--shards", "1"], ["cache", "verify"]] {
            for option in ["-f", "--buildfile"] {
                let result = try CLI.run(command + [option, p.root + "/Buildfile.yaml"], in: elsewhere)
                XCTAssertEqual(result.status, 0, "\(command) \(option): \(result.stderr)")
            }
        }
        let explicit = try CLI.run(["verify", "--shards", "0", p.root + "/renders/latest"], in: elsewhere)
        XCTAssertEqual(explicit.status, 0, explicit.stderr)
    }
}
