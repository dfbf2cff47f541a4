import Graph
@testable import Nodes
import XCTest

/// The repository's own demo album must load and plan with every shipped preset: `make run`
/// depends on it, and no unit test of a single preset would notice a schema/preset mismatch.
final class DemoProjectTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testDemoBuildfileLoadsWithEveryPreset() throws {
        let buildfile = Self.repository.appendingPathComponent("Buildfile.yaml").path
        let presets = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("presets").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertGreaterThanOrEqual(presets.count, 6)
        for preset in [nil] + presets.map(Optional.some) {
            let overrides = Overrides(presets: preset.map { [$0] } ?? [], sets: [])
            let project = try BuildfileLoader.load(path: buildfile, overrides: overrides)
            XCTAssertEqual(project.tracks.map(\.id), ["null-hypothesis", "signal-path", "phase-drift"], "preset \(preset ?? "none")")
            let album = try AlbumGraph(project: project)
            XCTAssertGreaterThan(try album.graph.closure(of: album.resolve("album")).count, 20, "preset \(preset ?? "none")")
        }
    }
}
