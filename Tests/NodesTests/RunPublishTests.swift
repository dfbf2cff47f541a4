import Foundation
@testable import Graph
@testable import Nodes
import XCTest

/// Publishing a run: the run folder appears whole or not at all.
final class RunPublishTests: XCTestCase {
    func testAFailedPublishLeavesNoRunFolderAndLatestOnTheLastGoodRun() throws {
        let root = NSTemporaryDirectory() + "ntsbuild-publish-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let engine = Engine(projectRoot: root, cacheDirectory: root + "/cache")
        let made = root + "/one.mp4"
        try Data("video".utf8).write(to: URL(fileURLWithPath: made))
        let digest = try engine.store.insert(fileAt: made)
        let project = Project(root: root, buildfile: root + "/Buildfile.yaml", title: "T", artist: nil, tracks: [], cut: CutConfig())
        let renders = root + "/renders"
        func publish(_ nodes: [NodeResult]) throws -> String {
            try RunRecord.write(project: project, targets: ["album"], result: BuildResult(nodes: nodes, wallSeconds: 0, interrupted: false),
                                engine: engine, jobs: 1, started: Date(), rendersDirectory: renders)
        }
        let good = NodeResult(id: "track:one", status: .built, output: digest, seconds: 0, reasons: [])
        let first = (try publish([good]) as NSString).lastPathComponent

        // The second track's object is gone by the time the run is published.
        let gone = NodeResult(id: "track:two", status: .built, output: Digest.of("gone"), seconds: 0, reasons: [])
        XCTAssertThrowsError(try publish([good, gone])) {
            XCTAssertFalse(String(describing: $0).contains("\n"), "one line: \($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: renders).sorted(), [first, "latest"].sorted(),
                       "no half-filled run folder, no staging folder left")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: renders + "/latest"), first)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: renders + "/" + first).sorted(), ["index.html", "one.mp4", "run.json"])
    }
}
