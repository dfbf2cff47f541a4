import Foundation
import XCTest
@testable import Nodes

final class MediaImageTests: XCTestCase {
    func testIdentityScaleReturnsInput() throws {
        let image = MediaFixtures.frame(3, width: 40, height: 30)
        let scaler = try ImageScaler(from: (40, 30), to: (40, 30))
        XCTAssertEqual(scaler.scale(image), image)
    }

    func testScaleProducesTargetSizeAndKeepsFlatColour() throws {
        var flat = RGBImage(width: 32, height: 18)
        for p in 0..<(32 * 18) { flat.pixels[p * 3] = 200; flat.pixels[p * 3 + 1] = 40; flat.pixels[p * 3 + 2] = 90 }
        for algorithm in ["lanczos", "bicubic", "bilinear"] {
            let scaler = try ImageScaler(from: (32, 18), to: (64, 36), algorithm: algorithm)
            let up = scaler.scale(flat)
            XCTAssertEqual(up.width, 64)
            XCTAssertEqual(up.height, 36)
            // Channels are scaled independently, so a flat colour stays exactly that colour.
            for p in 0..<(64 * 36) {
                XCTAssertEqual(up.pixels[p * 3], 200, algorithm)
                XCTAssertEqual(up.pixels[p * 3 + 1], 40, algorithm)
                XCTAssertEqual(up.pixels[p * 3 + 2], 90, algorithm)
            }
            // Reused context: a second frame scales the same way.
            XCTAssertEqual(scaler.scale(flat), up)
        }
        let down = try ImageScaler(from: (160, 90), to: (80, 45)).scale(MediaFixtures.frame(0, width: 160, height: 90))
        XCTAssertEqual(down.pixels.count, 80 * 45 * 3)
    }

    func testUnknownAlgorithmThrows() {
        XCTAssertThrowsError(try ImageScaler(from: (4, 4), to: (8, 8), algorithm: "nearest-ish"))
    }

    func testPNGWriterWritesReadablePNG() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("poster.png").path
        let image = MediaFixtures.frame(1, width: 48, height: 27)
        try PNGWriter.write(image, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let probe = try MediaFixtures.probe(path)
        let video = try XCTUnwrap(MediaFixtures.stream(probe, type: "video"))
        XCTAssertEqual(video["codec_name"] as? String, "png")
        XCTAssertEqual(video["width"] as? Int, 48)
        XCTAssertEqual(try PNGWriter.encode(image), bytes, "deterministic")
    }

    func testAnimatedWebPPreview() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        var files: [Data] = []
        for name in ["a.webp", "b.webp"] {
            let path = dir.appendingPathComponent(name).path
            let writer = try WebPAnimationWriter(path: path, width: 64, height: 36, fps: 10)
            for i in 0..<6 { try writer.write(MediaFixtures.frame(i * 10, width: 64, height: 36)) }
            try writer.finish()
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(String(decoding: files[0][8..<12], as: UTF8.self), "WEBP")
        XCTAssertTrue(files[0].range(of: Data("ANIM".utf8)) != nil, "animated WebP has an ANIM chunk")
        XCTAssertEqual(files[0], files[1], "deterministic")
        var frames = 0
        var search = files[0].startIndex
        while let r = files[0].range(of: Data("ANMF".utf8), in: search..<files[0].endIndex) { frames += 1; search = r.upperBound }
        XCTAssertEqual(frames, 6)
    }
}
