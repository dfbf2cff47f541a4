import Foundation
import Graph
@testable import Nodes
import XCTest

/// Shards of equal length (±1 frame), so `-j2` keeps both workers busy on short tracks, and a
/// layout that is a function of the track's length and `shards.frames` only.
final class ShardLayoutTests: XCTestCase {
    func testShardsCoverTheTrackInOrderWithLengthsWithinOneFrame() {
        for frames in 0...400 {
            for perShard in [1, 2, 3, 7, 30, 119, 120, 121, 500] {
                let layout = ShardLayout(frames: frames, perShard: perShard)
                let lengths = layout.ranges.map(\.count)
                XCTAssertEqual(layout.count, (frames + perShard - 1) / perShard, "\(frames) frames, \(perShard) a shard")
                XCTAssertEqual(lengths.reduce(0, +), frames)
                XCTAssertLessThanOrEqual(lengths.max() ?? 0, perShard, "no shard holds more than shards.frames")
                XCTAssertLessThanOrEqual((lengths.max() ?? 0) - (lengths.min() ?? 0), 1, "\(frames) frames, \(perShard) a shard: \(lengths)")
                XCTAssertEqual(layout.ranges.first?.lowerBound ?? 0, 0)
                for (a, b) in zip(layout.ranges, layout.ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
                for (k, range) in layout.ranges.enumerated() {
                    for frame in [range.lowerBound, range.upperBound - 1] {
                        XCTAssertEqual(layout.shard(containing: frame), k, "frame \(frame) of \(frames), \(perShard) a shard")
                    }
                }
                XCTAssertEqual(layout.shard(containing: frames), layout.count, "the end maps past the last shard")
            }
        }
    }

    func testAFiveSecondTrackSplitsIntoTwoEqualShards() {
        let layout = ShardLayout(frames: 150, perShard: 120)
        XCTAssertEqual(layout.ranges, [0..<75, 75..<150], "was 120 + 30, which left one of two workers idle")
        XCTAssertEqual(ShardLayout(frames: 901, perShard: 120).ranges.map(\.count), [113, 113, 113, 113, 113, 112, 112, 112])
    }

    /// The graph's frame shards follow the layout: a 150-frame track at 120 frames a shard.
    func testTheGraphsShardsAreBalanced() throws {
        let root = NSTemporaryDirectory() + "ntsbuild-shards-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/"
        try FileManager.default.copyItem(atPath: fixtures + "excerpt-22k.flac", toPath: root + "/audio.flac")
        try """
        album:
          title: Shards
          tracks:
            - {id: five, title: Five, audio: audio.flac, trim: {start: 1, end: 6}}
        output: {width: 64, height: 36, fps: 30}
        shards: {frames: 120}
        """.write(toFile: root + "/Buildfile.yaml", atomically: true, encoding: .utf8)
        let album = try AlbumGraph(project: BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: Overrides(sets: [])))
        let shards = album.graph.recipes.keys.filter { $0.raw.hasPrefix("frames:") }.sorted { $0.raw < $1.raw }
        XCTAssertEqual(shards.compactMap(album.frameCount(of:)), [75, 75])
    }
}
