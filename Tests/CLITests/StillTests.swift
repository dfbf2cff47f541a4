import Foundation
import Nodes
import XCTest

/// `ntsbuild still`: one finished frame as a PNG, through the build graph's cache.
final class StillTests: XCTestCase {
    /// A fresh project per test class: `still` must work before any build has run.
    static let project: TestProject = try! TestProject()

    func pixels(_ path: String) throws -> [UInt8] { [UInt8](try CLI.rgb24(path)) }

    func still(_ at: String, _ name: String, _ extra: String...) throws -> (CLI.Result, String) {
        let p = Self.project
        let result = try CLI.run(["still", "track:one", "--at", at, "-o", name] + extra, in: p.root)
        return (result, p.root + "/" + name)
    }

    func testWritesFinishedFrameAtOutputSize() throws {
        let (result, path) = try still("1.5", "a.png")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("frame 18"), result.stderr)  // 1.5 s at 12 fps
        let stream = try XCTUnwrap(CLI.probeStream(path))
        XCTAssertEqual(stream["codec_name"] as? String, "png")
        // Rendered at render_scale 0.5 (48×32), upscaled to the output size like the track.
        XCTAssertEqual(stream["width"] as? Int, 96)
        XCTAssertEqual(stream["height"] as? Int, 64)
        let rgb = try pixels(path)
        XCTAssertEqual(rgb.count, 96 * 64 * 3)
        let mean = rgb.reduce(0.0) { $0 + Double($1) } / Double(rgb.count)
        let variance = rgb.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(rgb.count)
        XCTAssertGreaterThan(variance, 100, "the frame is not flat")
    }

    func testDeterministicAndTimeDependent() throws {
        let (a, pathA) = try still("1.5", "same-1.png")
        let (b, pathB) = try still("0:01.5", "same-2.png")
        let (c, pathC) = try still("2.5", "other.png")
        for r in [a, b, c] { XCTAssertEqual(r.status, 0, r.stderr) }
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: pathA))
        XCTAssertEqual(bytesA, try Data(contentsOf: URL(fileURLWithPath: pathB)), "same time, same bytes")
        XCTAssertNotEqual(try pixels(pathA), try pixels(pathC), "another time, another frame")
        // Post-effects are applied: a different vignette changes the still.
        let (d, pathD) = try still("1.5", "vignette.png", "--set", "postfx.vignette=0.9")
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertNotEqual(try pixels(pathA), try pixels(pathD))
    }

    func testTrajectoryComesFromTheCache() throws {
        let (first, _) = try still("0.5", "cached.png")
        XCTAssertEqual(first.status, 0, first.stderr)
        let build = try Self.project.ntsbuild("trajectory:one", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.nodes("built"), [], "still built and cached the trajectory")
        XCTAssertTrue(build.nodes("reused").contains("trajectory:one"))
    }

    func testOneLineErrors() throws {
        let p = Self.project
        let unknown = try CLI.run(["still", "track:onr", "--at", "1", "-o", "x.png"], in: p.root)
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertEqual(unknown.lastErrorLine, "ntsbuild: error: still: unknown track 'onr' (did you mean track:one?)")
        let late = try CLI.run(["still", "track:one", "--at", "0:04", "-o", "x.png"], in: p.root)
        XCTAssertNotEqual(late.status, 0)
        XCTAssertEqual(late.lastErrorLine, "ntsbuild: error: still: --at 4.000 s is beyond the end of track:one (3.000 s long)")
        let bad = try CLI.run(["still", "track:one", "--at", "soon", "-o", "x.png"], in: p.root)
        XCTAssertTrue(bad.lastErrorLine.contains("--at 'soon' is not a time"), bad.stderr)
        // A missing input is reported as `build` reports it: by its path, with its reader, status 66.
        let missing = try CLI.run(["still", "track:one", "--at", "1", "-o", "x.png", "--set", "controller.anchors=models/gone.json"], in: p.root)
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertEqual(missing.lastErrorLine, "ntsbuild: error: models/gone.json: file not found (needed by trajectory:one)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: p.root + "/x.png"))
    }

    /// `generator.kind: conv` end to end: still and frame shards render from the style file,
    /// which is an input of the shards (editing it re-renders them).
    func testConvGeneratorStillAndShardsFollowTheStyleFile() throws {
        let p = try TestProject()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../NodesTests/Fixtures/conv-tiny.safetensors").standardized.path
        try FileManager.default.copyItem(atPath: fixture, toPath: p.root + "/conv.safetensors")
        let conv = ["--set", "generator.kind=conv", "--set", "generator.style=conv.safetensors"]
        let still = try CLI.run(["still", "track:one", "--at", "1", "-o", "conv.png"] + conv, in: p.root)
        XCTAssertEqual(still.status, 0, still.stderr)
        XCTAssertEqual(try CLI.rgb24(p.root + "/conv.png").count, 96 * 64 * 3)

        let first = try CLI.run(["frames:one:0", "--json"] + conv, in: p.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.nodes("built").contains("frames:one:0000"), first.stdout)
        XCTAssertEqual(try CLI.run(["frames:one:0", "--json"] + conv, in: p.root).nodes("built"), [])

        var style = try Safetensors.read(path: p.root + "/conv.safetensors")
        style.tensors["to_rgb.bias"]!.data[0] += 0.5
        try style.serialized().write(to: URL(fileURLWithPath: p.root + "/conv.safetensors"))
        let edited = try CLI.run(["frames:one:0", "--json"] + conv, in: p.root)
        XCTAssertEqual(edited.status, 0, edited.stderr)
        XCTAssertTrue(edited.nodes("built").contains("frames:one:0000"), edited.stdout)
    }
}
