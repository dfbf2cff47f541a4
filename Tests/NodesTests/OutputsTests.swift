import Foundation
import XCTest
@testable import Nodes

/// The pieces behind the outputs people use: previews (contact sheet, poster moment, frames out
/// of shards), encoder options (profile, pixel format), gallery helpers.
final class OutputsTests: XCTestCase {
    func solid(_ value: UInt8, width: Int = 40, height: Int = 20) -> RGBImage {
        RGBImage(width: width, height: height, pixels: [UInt8](repeating: value, count: width * height * 3))
    }

    func testContactSheetLaysOutCellsWithGaps() throws {
        let images = (0..<12).map { solid(UInt8(100 + $0 * 10)) }
        let sheet = try ContactSheet.compose(images, columns: 4, thumbWidth: 20, gap: 2)
        XCTAssertEqual(sheet.width, 4 * 20 + 5 * 2)
        XCTAssertEqual(sheet.height, 3 * 10 + 4 * 2)
        func pixel(_ x: Int, _ y: Int) -> UInt8 { sheet.pixels[(y * sheet.width + x) * 3] }
        XCTAssertEqual(pixel(0, 0), 16, "outer gap is background")
        XCTAssertEqual(pixel(2 + 10, 2 + 5), 100, "first cell")
        XCTAssertEqual(pixel(2 + 22 + 10, 2 + 5), 110, "second cell")
        XCTAssertEqual(pixel(2 + 10, 2 + 12 + 5), 140, "second row starts with the fifth image")
        XCTAssertEqual(pixel(22 + 1, 5), 16, "gap between cells")
    }

    func testPosterMomentIsTheLoudestSecondAwayFromTheEdges() {
        var rms = [Float](repeating: 0.2, count: 300)
        for i in 200..<215 { rms[i] = 1 }
        rms[3] = 5  // a click in the first tenth is ignored
        let frame = try! XCTUnwrap(PreviewRecipe.loudest(rms: rms, fps: 30))
        XCTAssertEqual(frame, 207, "the middle of the loud stretch")
        XCTAssertNil(PreviewRecipe.loudest(rms: [Float](repeating: 0, count: 100), fps: 30), "silence: fall back")
        XCTAssertNil(PreviewRecipe.loudest(rms: [], fps: 30))
    }

    func testShardFramesPicksFramesAcrossShards() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        var paths: [String] = []
        for shard in 0..<3 {
            let path = dir.appendingPathComponent("s\(shard).mkv").path
            let writer = try ShardWriter(path: path, width: 32, height: 16, fps: 10)
            for i in 0..<5 { try writer.write(MediaFixtures.frame(shard * 5 + i, width: 32, height: 16)) }
            try writer.finish()
            paths.append(path)
        }
        let images = try ShardFrames(paths: paths, layout: ShardLayout(frames: 15, perShard: 5)).images(at: [12, 0, 7, 12])
        XCTAssertEqual(images.map { $0 }, [12, 0, 7, 12].map { MediaFixtures.frame($0, width: 32, height: 16) })
        XCTAssertThrowsError(try ShardFrames(paths: paths, layout: ShardLayout(frames: 15, perShard: 5)).images(at: [15]))
    }

    func encode(_ settings: VideoSettings, to path: String) throws {
        let encoder = try TrackEncoder(path: path, video: settings, audio: MediaFixtures.sine(seconds: 0.5), audioBitrate: "64k", metadata: [:])
        for i in 0..<15 { try encoder.encode(MediaFixtures.frame(i, width: settings.width, height: settings.height)) }
        try encoder.finish()
    }

    func testProfilesAndPixelFormats() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let cases: [(String, String, String)] = [("baseline", "yuv420p", "Constrained Baseline"), ("main", "yuv420p", "Main"),
                                                 ("high", "yuv420p", "High"), ("high", "yuv444p", "High 4:4:4 Predictive")]
        for (profile, format, probed) in cases {
            let path = dir.appendingPathComponent("\(profile)-\(format).mp4").path
            // Not ultrafast: x264's profile is a ceiling, and ultrafast needs no more than baseline.
            try encode(VideoSettings(width: 64, height: 48, fps: 30, crf: 23, preset: "veryfast", threads: 1,
                                     profile: profile, keyframeInterval: 5, pixelFormat: format), to: path)
            let video = try XCTUnwrap(MediaFixtures.stream(try MediaFixtures.probe(path), type: "video"))
            XCTAssertEqual(video["profile"] as? String, probed, "\(profile) \(format)")
            XCTAssertEqual(video["pix_fmt"] as? String, format)
        }
        // CRF 0 is lossless, which H.264 has only in High 4:4:4 Predictive (also for 4:2:0).
        let lossless = dir.appendingPathComponent("lossless.mp4").path
        try encode(VideoSettings(width: 64, height: 48, fps: 30, crf: 0, preset: "ultrafast", threads: 1, profile: "high"), to: lossless)
        let losslessVideo = try XCTUnwrap(MediaFixtures.stream(try MediaFixtures.probe(lossless), type: "video"))
        XCTAssertEqual(losslessVideo["profile"] as? String, "High 4:4:4 Predictive")
        XCTAssertEqual(losslessVideo["pix_fmt"] as? String, "yuv420p")
        let path = dir.appendingPathComponent("bad.mp4").path
        XCTAssertThrowsError(try encode(VideoSettings(width: 64, height: 48, fps: 30, crf: 0, preset: "ultrafast", threads: 1,
                                                      profile: "main"), to: path)) {
            XCTAssertTrue(String(describing: $0).hasPrefix(path + ": H.264 profile main cannot carry lossless (crf 0)"), String(describing: $0))
        }
        XCTAssertThrowsError(try encode(VideoSettings(width: 64, height: 48, fps: 30, crf: 23, preset: "ultrafast", threads: 1,
                                                      profile: "main", pixelFormat: "yuv444p"), to: path)) {
            XCTAssertTrue(String(describing: $0).hasPrefix(path + ": H.264 profile main cannot carry yuv444p"), String(describing: $0))
        }
    }

    func testImageSizesFromHeaders() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let png = dir.appendingPathComponent("a.png").path
        try PNGWriter.write(solid(7, width: 33, height: 17), to: png)
        XCTAssertEqual(ImageSize.of(png)?.width, 33)
        XCTAssertEqual(ImageSize.of(png)?.height, 17)
        let webp = dir.appendingPathComponent("a.webp").path
        let writer = try WebPAnimationWriter(path: webp, width: 30, height: 18, fps: 10)
        for i in 0..<3 { try writer.write(MediaFixtures.frame(i, width: 30, height: 18)) }
        try writer.finish()
        XCTAssertEqual(ImageSize.of(webp)?.width, 30)
        XCTAssertEqual(ImageSize.of(webp)?.height, 18)
    }

    func testFeatureLanesAreSelfContainedSVG() {
        let curves = [FeaturePlot.Curve(name: "rms_norm", label: "loudness", values: (0..<900).map { Float($0 % 30) / 30 }, colour: "#f5b942"),
                      FeaturePlot.Curve(name: "onset_norm", label: "onsets", values: (0..<900).map { $0 % 15 == 0 ? 1 : 0 }, colour: "#ff5f7e")]
        let svg = FeaturePlot.svg(curves, beats: [0, 15, 30], tempo: 120, frames: 900, fps: 30, video: "video-a", title: "a <b>")
        XCTAssertTrue(svg.hasPrefix("<svg class=\"lanes\" xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("a &lt;b&gt;"))
        XCTAssertTrue(svg.contains("0:30"), "time ticks")
        XCTAssertTrue(svg.contains(">loudness<") && svg.contains(">onsets<") && svg.contains(">beats · 120 bpm<"), "a label per lane")
        XCTAssertEqual(svg.components(separatedBy: "<polygon").count - 1, 2, "one lane per curve")
        XCTAssertEqual(svg.components(separatedBy: "v12").count - 1, 3, "a tick per beat")
        XCTAssertTrue(svg.contains("data-follows=\"video-a\" data-left=\"110\" data-width=\"840\" data-seconds=\"30.000\""))
        XCTAssertTrue(svg.contains("class=\"playhead\" x1=\"110\""), "the playhead starts at the left edge")
        XCTAssertFalse(svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        XCTAssertEqual(FeaturePlot.svg(curves, beats: nil, tempo: nil, frames: 0, fps: 30, video: nil, title: "x"), "", "no frames, no plot")
    }

    func testContactSheetCellsAreWhereComposePutThem() throws {
        let images = (0..<12).map { MediaFixtures.frame($0, width: 48, height: 32) }
        let sheet = try ContactSheet.compose(images, columns: 4, thumbWidth: 48, gap: 6)
        let cells = ContactSheet.cells(count: 12, columns: 4, gap: 6, width: sheet.width, height: sheet.height)
        XCTAssertEqual(cells.count, 12)
        XCTAssertEqual(cells[0].x, 6)
        XCTAssertEqual(cells[5].x, 6 + 48 + 6)
        XCTAssertEqual(cells[5].y, 6 + 32 + 6)
        XCTAssertEqual(cells[11].width, 48)
        XCTAssertEqual(cells[11].height, 32)
        XCTAssertEqual(ContactSheet.evenlySpaced(frames: 24, cells: 12), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23])
    }

    func testGallerySettingsNameTheLook() {
        var config = TrackConfig()
        config.look.palette = "ember"
        config.generator.style = "bark"
        config.postfx.grain = 0.2
        config.postfx.trails = true
        let entries = GallerySettings.entries(config, presets: GallerySettings.presets(from: [
            "look.palette": SourceLocation(file: "presets/nocturne.yaml", line: 2), "encoder.crf": SourceLocation(file: "Buildfile.yaml")]))
        let byKey = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byKey["preset"]?.value, "nocturne")
        XCTAssertEqual(byKey["style"]?.value, "bark")
        XCTAssertEqual(byKey["palette"]?.value, "ember, motion 1")
        XCTAssertEqual(byKey["palette"]?.swatches.first, "#0d0405")
        XCTAssertEqual(byKey["post-effects"]?.value, "tone filmlog, vignette 0.3, grain 0.2, trails")
        XCTAssertTrue(GallerySettings.html(entries).contains("background:#fde68a"))
        XCTAssertEqual(Gallery.clock(83.46), "1:23.4")
    }

    func testVerifierReadsOlderRecordsOverTodaysDefaults() throws {
        // A run.json from before encoder.profile existed, with null anchors (left out when null).
        let config = try RunVerifier.config(recorded: ["encoder": ["crf": 20, "preset": "fast"], "controller": ["latent_dim": 4]])
        XCTAssertEqual(config.encoder.crf, 20)
        XCTAssertEqual(config.encoder.profile, "high")
        XCTAssertEqual(config.controller.latentDim, 4)
        XCTAssertNil(config.controller.anchors)
        XCTAssertEqual(config.output, OutputConfig(), "sections not recorded keep their defaults")
    }
}
