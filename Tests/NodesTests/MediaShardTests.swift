import Foundation
import XCTest
@testable import Nodes

final class MediaShardTests: XCTestCase {
    func testShardRoundTripIsExact() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("a.mkv").path
        let frames = (0..<12).map { MediaFixtures.frame($0, width: 160, height: 90) }
        let writer = try ShardWriter(path: path, width: 160, height: 90, fps: 30)
        for f in frames { try writer.write(f) }
        try writer.finish()

        let reader = try ShardReader(path: path)
        XCTAssertEqual(reader.width, 160)
        XCTAssertEqual(reader.height, 90)
        var decoded: [RGBImage] = []
        while let image = try reader.next() { decoded.append(image) }
        XCTAssertEqual(decoded.count, frames.count)
        for (i, (a, b)) in zip(frames, decoded).enumerated() { XCTAssertTrue(a == b, "frame \(i) differs after round trip") }
        XCTAssertNil(try reader.next(), "stays at end")
    }

    func testShardNoiseOddSizeAndThreadedRoundTrip() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("odd.mkv").path
        // Noise: every byte value in every channel, nothing a smooth gradient could hide.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let frames = (0..<5).map { _ in
            RGBImage(width: 33, height: 17, pixels: (0..<(33 * 17 * 3)).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        }
        let writer = try ShardWriter(path: path, width: 33, height: 17, fps: 24)
        for f in frames { try writer.write(f) }
        try writer.finish()
        let reader = try ShardReader(path: path, threads: 2)
        var decoded: [RGBImage] = []
        while let image = try reader.next() { decoded.append(image) }
        XCTAssertEqual(decoded, frames)
    }

    func testShardIsDeterministicAndProbesAsHuffYUV() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        var files: [Data] = []
        for name in ["x.mkv", "y.mkv"] {
            let path = dir.appendingPathComponent(name).path
            let writer = try ShardWriter(path: path, width: 160, height: 90, fps: 30)
            for i in 0..<8 { try writer.write(MediaFixtures.frame(i, width: 160, height: 90)) }
            try writer.finish()
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(files[0], files[1], "same frames must give the same shard bytes")

        let probe = try MediaFixtures.probe(dir.appendingPathComponent("x.mkv").path, ["-show_streams", "-count_frames"])
        let video = try XCTUnwrap(MediaFixtures.stream(probe, type: "video"))
        XCTAssertEqual(video["codec_name"] as? String, "ffvhuff")
        XCTAssertEqual(video["pix_fmt"] as? String, "gbrp")
        XCTAssertEqual(video["width"] as? Int, 160)
        XCTAssertEqual(video["nb_read_frames"] as? String, "8")
    }

    func testShardWriterRejectsWrongSize() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let writer = try ShardWriter(path: dir.appendingPathComponent("s.mkv").path, width: 16, height: 16, fps: 30)
        XCTAssertThrowsError(try writer.write(RGBImage(width: 8, height: 8)))
    }

    func testMissingShardErrorNamesFile() {
        XCTAssertThrowsError(try ShardReader(path: "/nonexistent/shard.mkv")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("/nonexistent/shard.mkv"), text)
            XCTAssertTrue(text.contains("No such file"), text)
        }
    }

    func testManyShardsDoNotLeakDescriptors() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for k in 0..<20 {
            let path = dir.appendingPathComponent("s\(k).mkv").path
            let writer = try ShardWriter(path: path, width: 32, height: 18, fps: 30)
            try writer.write(MediaFixtures.frame(k, width: 32, height: 18))
            try writer.finish()
            let reader = try ShardReader(path: path)
            while try reader.next() != nil {}
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        XCTAssertLessThanOrEqual(after, before + 1)
    }
}
