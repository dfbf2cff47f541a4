import Foundation
import XCTest

/// Same inputs, same bytes: whatever the allocator left in memory does not reach an output.
final class DeterminismTests: XCTestCase {
    /// 160×90 at veryfast/CRF 18: a size and quality at which a read past the end of the frame
    /// buffer changed the encoded video (coarser settings quantised the difference away).
    static let buildfile = TestProject.buildfile
        .replacingOccurrences(of: "output: {width: 96, height: 64, fps: 12}", with: "output: {width: 160, height: 90, fps: 12}")
        .replacingOccurrences(of: "encoder: {preset: ultrafast, crf: 30}", with: "encoder: {preset: veryfast, crf: 18}")

    func testATrackEncodesToTheSameBytesUnderDifferentMallocPerturbations() throws {
        let p = try TestProject(buildfile: Self.buildfile)
        XCTAssertNotEqual(Self.buildfile, TestProject.buildfile)
        let first = try p.ntsbuild("track:one")
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstVideo = try p.outputHashes()["one.mp4"]

        // glibc fills fresh allocations with ~N and freed ones with N: memory read before it is
        // written, or past the end of a buffer, differs between these runs.
        var videos: [String: String] = [:]
        for perturb in ["0", "85", "170"] {
            // The last build's object, so that this one encodes again.
            let nodes = try p.runJSON()["nodes"] as? [[String: Any]] ?? []
            let digest = try XCTUnwrap(nodes.first { $0["id"] as? String == "track:one" }?["output"] as? String)
            try FileManager.default.removeItem(atPath: p.root + "/cache/objects/\(digest.prefix(2))/\(digest)")
            let build = try CLI.run(["track:one", "--json"], in: p.root, environment: ["MALLOC_PERTURB_": perturb])
            XCTAssertEqual(build.status, 0, build.stderr)
            XCTAssertEqual(build.nodes("built"), ["track:one"], "MALLOC_PERTURB_=\(perturb)")
            videos[perturb] = try p.outputHashes()["one.mp4"]
        }
        XCTAssertEqual(Set(videos.values).count, 1, "one video per allocator state: \(videos)")
        XCTAssertEqual(videos["0"], firstVideo, "and the same as the first build's")
    }
}
