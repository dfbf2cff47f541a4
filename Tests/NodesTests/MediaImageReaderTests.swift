import Foundation
import XCTest
@testable import Nodes

/// PNG files written byte by byte (stored deflate blocks), so every colour type, bit depth and
/// header field — including lying ones — can be produced exactly.
enum HandPNG {
    static func file(width: Int, height: Int, colorType: UInt8, bitDepth: UInt8 = 8, rows: [[UInt8]],
                     palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(width) + be32(height) + [bitDepth, colorType, 0, 0, 0])
        if let palette { out += chunk("PLTE", palette) }
        if let transparency { out += chunk("tRNS", transparency) }
        out += chunk("IDAT", zlibStored(rows.flatMap { [0] + $0 }))  // filter type 0 on every row
        out += chunk("IEND", [])
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(crc32(body)))
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return out + be32(Int(b << 16 | a))
    }
}

final class MediaImageReaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try MediaFixtures.scratchDirectory() }
    override func tearDown() { MediaFixtures.cleanUp(dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func write(_ bytes: [UInt8], _ name: String) -> String {
        let p = path(name)
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    private func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ffmpeg \(arguments.joined(separator: " "))")
    }

    /// `image` as a raw RGB file, then through the ffmpeg CLI into `name` with `options`.
    private func encode(_ image: RGBImage, _ name: String, _ options: [String]) throws -> String {
        let raw = write(image.pixels, name + ".rgb")
        let out = path(name)
        try ffmpeg(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(image.width)x\(image.height)", "-i", raw] + options + [out])
        return out
    }

    /// Four flat blocks: codecs keep flat areas close to exact, so values can be checked inside them.
    private func blocks(width: Int = 64, height: Int = 48) -> RGBImage {
        let colours: [[UInt8]] = [[200, 60, 30], [20, 120, 220], [240, 240, 240], [12, 12, 12]]
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let c = colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]
                for k in 0..<3 { image.pixels[(y * width + x) * 3 + k] = c[k] }
            }
        }
        return image
    }

    private func assertBlockCentres(_ image: RGBImage, _ expected: RGBImage, tolerance: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, expected.width, file: file, line: line)
        XCTAssertEqual(image.height, expected.height, file: file, line: line)
        for (x, y) in [(16, 12), (48, 12), (16, 36), (48, 36)] {
            for k in 0..<3 {
                let i = (y * expected.width + x) * 3 + k
                XCTAssertLessThanOrEqual(abs(Int(image.pixels[i]) - Int(expected.pixels[i])), tolerance,
                                         "(\(x),\(y)) channel \(k)", file: file, line: line)
            }
        }
    }

    // MARK: - Formats

    func testPNGFromPNGWriterRoundTripsExactly() throws {
        let image = MediaFixtures.frame(5, width: 37, height: 23)
        let p = path("frame.png")
        try PNGWriter.write(image, to: p)
        XCTAssertEqual(try ImageReader.read(path: p), image)
    }

    func testPNGColourTypesAndDepths() throws {
        // Gray 8-bit: each value becomes R = G = B.
        let grayRow: [UInt8] = [0, 1, 77, 128, 200, 255]
        let gray = try ImageReader.read(path: write(HandPNG.file(width: 6, height: 1, colorType: 0, rows: [grayRow]), "gray.png"))
        XCTAssertEqual(gray.pixels, grayRow.flatMap { [$0, $0, $0] })

        // Palette with tRNS: entry 1 is half transparent, composited over black.
        let palette: [UInt8] = [255, 0, 0, 10, 200, 100, 0, 0, 255]
        let indexed = HandPNG.file(width: 3, height: 1, colorType: 3, rows: [[0, 1, 2]], palette: palette,
                                   transparency: [255, 128, 255])
        let pal = try ImageReader.read(path: write(indexed, "pal.png"))
        XCTAssertEqual(pal.pixels, [255, 0, 0, 5, 100, 50, 0, 0, 255])

        // RGBA 8-bit: alpha 0 hides a colour entirely, 255 keeps it, 51 (20 %) scales it.
        let rgbaRow: [UInt8] = [250, 100, 50, 255, 250, 100, 50, 0, 250, 100, 50, 51]
        let rgba = try ImageReader.read(path: write(HandPNG.file(width: 3, height: 1, colorType: 6, rows: [rgbaRow]), "rgba.png"))
        XCTAssertEqual(rgba.pixels, [250, 100, 50, 0, 0, 0, 50, 20, 10])

        // Gray + alpha.
        let ya = try ImageReader.read(path: write(HandPNG.file(width: 2, height: 1, colorType: 4, rows: [[200, 255, 200, 0]]), "ya.png"))
        XCTAssertEqual(ya.pixels, [200, 200, 200, 0, 0, 0])

        // RGB 16-bit: the high byte survives (±1 for rounding).
        let deep: [UInt8] = [0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0x00, 0x40, 0x40]
        let rgb48 = try ImageReader.read(path: write(HandPNG.file(width: 2, height: 1, colorType: 2, bitDepth: 16, rows: [deep]), "rgb48.png"))
        for (got, want) in zip(rgb48.pixels, [0x12, 0xAB, 0xFF, 0x00, 0x80, 0x40]) {
            XCTAssertLessThanOrEqual(abs(Int(got) - want), 1)
        }

        // Rows whose length leaves decoder padding (odd widths) are copied without it.
        let odd = MediaFixtures.frame(2, width: 13, height: 7)
        let rows = (0..<7).map { Array(odd.pixels[($0 * 13 * 3)..<(($0 + 1) * 13 * 3)]) }
        XCTAssertEqual(try ImageReader.read(path: write(HandPNG.file(width: 13, height: 7, colorType: 2, rows: rows), "odd.png")), odd)
    }

    func testJPEGFullRangeAndSubsampling() throws {
        let image = blocks()
        for (name, format) in [("444.jpg", "yuvj444p"), ("420.jpg", "yuvj420p")] {
            let p = try encode(image, name, ["-pix_fmt", format, "-q:v", "2", "-frames:v", "1"])
            let decoded = try ImageReader.read(path: p)
            assertBlockCentres(decoded, image, tolerance: 4)
            XCTAssertEqual(try ImageReader.read(path: p), decoded, "deterministic")
        }
    }

    func testWebPLossyLosslessAndAlpha() throws {
        let image = blocks()
        let lossless = try encode(image, "lossless.webp", ["-c:v", "libwebp", "-lossless", "1", "-frames:v", "1"])
        XCTAssertEqual(try ImageReader.read(path: lossless), image)
        let lossy = try encode(image, "lossy.webp", ["-c:v", "libwebp", "-quality", "95", "-frames:v", "1"])
        assertBlockCentres(try ImageReader.read(path: lossy), image, tolerance: 6)

        // With an alpha plane (VP8X + ALPH): fully opaque, so the colours are unchanged.
        var rgba: [UInt8] = []
        for p in 0..<(64 * 48) { rgba += [image.pixels[p * 3], image.pixels[p * 3 + 1], image.pixels[p * 3 + 2], 255] }
        let raw = write(rgba, "alpha.rgba")
        let alpha = path("alpha.webp")
        try ffmpeg(["-f", "rawvideo", "-pix_fmt", "rgba", "-s", "64x48", "-i", raw, "-c:v", "libwebp", "-quality", "95",
                    "-pix_fmt", "yuva420p", "-frames:v", "1", alpha])
        assertBlockCentres(try ImageReader.read(path: alpha), image, tolerance: 6)
    }

    // MARK: - Errors

    private func assertError(_ path: String, _ expected: ImageError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ImageReader.read(path: path), file: file, line: line) { error in
            guard let error = error as? ImageError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(error, expected, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    private func assertError(_ path: String, file: StaticString = #filePath, line: UInt = #line,
                             _ matches: (ImageError) -> Bool) {
        XCTAssertThrowsError(try ImageReader.read(path: path), file: file, line: line) { error in
            guard let error = error as? ImageError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(matches(error), error.description, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    func testMissingDirectoryEmptyAndNonImages() throws {
        let missing = path("nope.png")
        assertError(missing, .missing(file: missing))
        assertError(dir.path, .directory(file: dir.path))
        let empty = write([], "empty.png")
        assertError(empty, .empty(file: empty))

        let text = write(Array("just some words, not a picture\n".utf8), "notes.png")
        assertError(text, .notImage(file: text, reason: "no PNG, JPEG or WebP signature"))
        XCTAssertEqual(ImageError.notImage(file: "refs/x.png", reason: "no PNG, JPEG or WebP signature").description,
                       "refs/x.png: not an image (no PNG, JPEG or WebP signature)")

        let wav = path("tone.png")
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.1", "-f", "wav", wav])
        assertError(wav, .notImage(file: wav, reason: "WAV audio; PNG, JPEG or WebP expected"))

        let gif = path("still.gif")
        try ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=8x8:d=0.04", "-frames:v", "1", gif])
        assertError(gif) { if case .unsupported = $0 { return true } else { return false } }
    }

    func testAnimatedWebPIsRefused() throws {
        let p = path("anim.webp")
        let writer = try WebPAnimationWriter(path: p, width: 32, height: 18, fps: 10)
        for i in 0..<3 { try writer.write(MediaFixtures.frame(i * 20, width: 32, height: 18)) }
        try writer.finish()
        assertError(p, .unsupported(file: p, reason: "animated WebP is not supported (a still image is)"))
    }

    func testTruncatedAndCorruptFiles() throws {
        let image = blocks()
        let png = Array(try PNGWriter.encode(image))
        let stub = write(Array(png.prefix(5)), "stub.png")
        assertError(stub, .notImage(file: stub, reason: "no PNG, JPEG or WebP signature"))
        for cut in [20, png.count / 2, png.count - 20] {
            let p = write(Array(png.prefix(cut)), "cut-\(cut).png")
            assertError(p) { if case .corrupt = $0 { return true } else { return false } }
        }
        // One flipped bit inside the image data: the CRC no longer matches.
        var flipped = png
        flipped[png.count / 2] ^= 0x10
        assertError(write(flipped, "flipped.png")) { if case .corrupt = $0 { return true } else { return false } }

        let jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: encode(image, "whole.jpg", ["-q:v", "2", "-frames:v", "1"]))))
        for cut in [3, 100, jpeg.count * 2 / 3, jpeg.count - 2] {
            let p = write(Array(jpeg.prefix(cut)), "cut-\(cut).jpg")
            assertError(p) { if case .corrupt = $0 { return true } else { return false } }
        }
        let webp = Array(try Data(contentsOf: URL(fileURLWithPath: encode(image, "whole.webp", ["-c:v", "libwebp", "-frames:v", "1"]))))
        for cut in [12, 40, webp.count - 10] {
            let p = write(Array(webp.prefix(cut)), "cut-\(cut).webp")
            assertError(p) { if case .corrupt = $0 { return true } else { return false } }
        }
        // Header and picture disagree: an IHDR claiming 64×64 over 4×4 of data.
        var lying = HandPNG.file(width: 4, height: 4, colorType: 0, rows: Array(repeating: [1, 2, 3, 4], count: 4))
        let ihdr = HandPNG.chunk("IHDR", HandPNG.be32(64) + HandPNG.be32(64) + [8, 0, 0, 0, 0])
        lying.replaceSubrange(8..<(8 + ihdr.count), with: ihdr)
        assertError(write(lying, "lying.png")) { if case .corrupt = $0 { return true } else { return false } }
    }

    func testHugeHeaderFailsFastWithoutDecoding() throws {
        // A valid PNG signature and IHDR (correct CRC) for 20000×20000 RGB, followed by a little data.
        var bytes = HandPNG.file(width: 1, height: 1, colorType: 2, rows: [[1, 2, 3]])
        let ihdr = HandPNG.chunk("IHDR", HandPNG.be32(20_000) + HandPNG.be32(20_000) + [8, 2, 0, 0, 0])
        bytes.replaceSubrange(8..<(8 + ihdr.count), with: ihdr)
        let p = write(bytes, "huge.png")
        let before = peakResidentBytes(), start = Date()
        assertError(p, .tooManyPixels(file: p, width: 20_000, height: 20_000, limit: 40_000_000))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        XCTAssertLessThan(peakResidentBytes() - before, 64 << 20, "no picture-sized allocation")
        XCTAssertEqual(ImageError.tooManyPixels(file: "refs/x.png", width: 20_000, height: 20_000, limit: 40_000_000).description,
                       "refs/x.png: 20000×20000 pixels is more than the 40000000 allowed")

        // The limit is the caller's: a 64×48 picture passes at 3072 pixels and fails at 3071.
        let small = try encode(blocks(), "small.jpg", ["-q:v", "2", "-frames:v", "1"])
        XCTAssertNoThrow(try ImageReader.read(path: small, maxPixels: 64 * 48))
        XCTAssertThrowsError(try ImageReader.read(path: small, maxPixels: 64 * 48 - 1)) { error in
            XCTAssertEqual(error as? ImageError, .tooManyPixels(file: small, width: 64, height: 48, limit: 64 * 48 - 1))
        }
        // A file far larger than any picture within the limit (8 bytes a pixel + 16 MiB) is
        // refused before it is read.
        let padded = write(Array(try PNGWriter.encode(blocks())) + [UInt8](repeating: 0, count: 17 << 20), "padded.png")
        XCTAssertThrowsError(try ImageReader.read(path: padded, maxPixels: 100)) { error in
            XCTAssertEqual(error as? ImageError, .fileTooLarge(file: padded, bytes: 17 << 20 + Array(try! PNGWriter.encode(blocks())).count,
                                                             limit: 800 + 16 << 20))
        }
    }

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    // MARK: - Downsampling

    func testDownsampleAveragesAreasExactly() {
        // 4×2 → 2×1: each output is the mean of a 2×2 block.
        let image = RGBImage(width: 4, height: 2, pixels: [
            0, 0, 0, 10, 20, 30, 100, 100, 100, 200, 200, 200,
            4, 8, 12, 2, 4, 6, 50, 60, 70, 255, 255, 255,
        ])
        let half = ImageReader.downsample(image, maxSide: 2)
        XCTAssertEqual(half.width, 2)
        XCTAssertEqual(half.height, 1)
        XCTAssertEqual(half.pixels, [4, 8, 12, 151, 154, 156])  // (0+10+4+2)/4 = 4, (100+200+50+255)/4 = 151.25 …

        // 3 → 2 in one dimension: output 0 = (2·p0 + 1·p1) / 3, output 1 = (1·p1 + 2·p2) / 3.
        let row = RGBImage(width: 3, height: 1, pixels: [0, 0, 0, 90, 90, 90, 30, 60, 255])
        XCTAssertEqual(ImageReader.downsample(row, maxSide: 2).pixels, [30, 30, 30, 50, 70, 200])

        // Flat stays flat; small images come back unchanged; aspect is kept.
        var flat = RGBImage(width: 301, height: 97)
        for p in 0..<(301 * 97) { flat.pixels[p * 3] = 17; flat.pixels[p * 3 + 1] = 99; flat.pixels[p * 3 + 2] = 230 }
        let small = ImageReader.downsample(flat, maxSide: 64)
        XCTAssertEqual(small.width, 64)
        XCTAssertEqual(small.height, 21)
        XCTAssertTrue(stride(from: 0, to: small.pixels.count, by: 3).allSatisfy {
            small.pixels[$0] == 17 && small.pixels[$0 + 1] == 99 && small.pixels[$0 + 2] == 230
        })
        XCTAssertEqual(ImageReader.downsample(flat, maxSide: 400), flat)
        let frame = MediaFixtures.frame(9, width: 250, height: 140)
        XCTAssertEqual(ImageReader.downsample(frame, maxSide: 77), ImageReader.downsample(frame, maxSide: 77))
    }
}
