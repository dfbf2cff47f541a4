import Foundation
import XCTest
@testable import Nodes

final class LookPaletteTests: XCTestCase {
    // MARK: - Test images

    /// Seeded per-pixel noise over the left half, smooth colour gradients over the right: the two
    /// extremes a generator frame mixes.
    static func noiseAndGradients(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SeededRandom(seed: seed)
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let p = (y * width + x) * 3
                if x < width / 2 {
                    for k in 0..<3 { image.pixels[p + k] = UInt8(truncatingIfNeeded: random.next() >> 56) }
                } else {
                    let u = Double(x - width / 2) / Double(width / 2), v = Double(y) / Double(height)
                    image.pixels[p] = UInt8(255 * (0.5 + 0.5 * sin(6 * u + 2 * v)))
                    image.pixels[p + 1] = UInt8(255 * v)
                    image.pixels[p + 2] = UInt8(255 * (0.5 + 0.5 * cos(9 * u * v)))
                }
            }
        }
        return image
    }

    static let blockColours: [(UInt8, UInt8, UInt8)] = [(200, 40, 30), (30, 90, 200), (240, 220, 120), (20, 60, 30)]

    /// Four flat blocks, sized so downsampling for k-means does not align with their edges.
    static func fourBlocks(width: Int = 611, height: Int = 397) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let c = blockColours[(y < height / 3 ? 0 : 2) + (x < width * 2 / 5 ? 0 : 1)]
                let p = (y * width + x) * 3
                image.pixels[p] = c.0
                image.pixels[p + 1] = c.1
                image.pixels[p + 2] = c.2
            }
        }
        return image
    }

    // MARK: - Library and parsing

    func testLibraryHasDistinctValidPalettes() throws {
        let names = PaletteLibrary.names
        XCTAssertGreaterThanOrEqual(names.count, 10)
        XCTAssertEqual(Set(names).count, names.count)
        let palettes = try names.map { try Palette.named($0) }
        for (name, palette) in zip(names, palettes) {
            XCTAssertNotNil(name.range(of: "^[a-z0-9-]+$", options: .regularExpression), name)
            XCTAssertTrue(Palette.stopRange.contains(palette.stops.count), name)
            XCTAssertEqual(try Palette(parsing: name), palette)
            XCTAssertTrue(palette.stops.first!.l < palette.stops.last!.l, "\(name) runs dark to light")
        }
        // Distinct: every pair differs by a mean ΔE00 of more than 8 along the gradient.
        let gradients = palettes.map { p in (0..<32).map { p.color(at: Double($0) / 31) } }
        for i in 0..<gradients.count {
            for j in (i + 1)..<gradients.count {
                let mean = zip(gradients[i], gradients[j]).map { $0.deltaE00($1) }.reduce(0, +) / 32
                XCTAssertGreaterThan(mean, 8, "\(names[i]) vs \(names[j])")
            }
        }
    }

    func testInlineListsAndErrors() throws {
        let spaced = try Palette(parsing: "#1b1b3a #693668 #a74482")
        XCTAssertEqual(spaced.hexColors, ["#1b1b3a", "#693668", "#a74482"])
        XCTAssertEqual(try Palette(parsing: " #1B1B3A,#693668, #a74482 "), spaced)
        XCTAssertEqual(try Palette(parsing: "#fff #000").hexColors, ["#ffffff", "#000000"])

        func message(_ text: String) -> String {
            do {
                _ = try Palette(parsing: text)
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message("#1b1b3a"), "a palette needs 2 to 16 colours, got 1")
        XCTAssertEqual(message(Array(repeating: "#101010", count: 17).joined(separator: " ")), "a palette needs 2 to 16 colours, got 17")
        XCTAssertEqual(message("#1b1b3a #12345"), "'#12345' is not a colour (expected #rrggbb or #rgb)")
        XCTAssertEqual(message("#1b1b3a #zzzzzz"), "'#zzzzzz' is not a colour (expected #rrggbb or #rgb)")
        XCTAssertTrue(message("embr").hasPrefix("unknown palette 'embr' (did you mean ember?); built in: ember, "), message("embr"))
        XCTAssertFalse(message("embr").contains("\n"))
        XCTAssertThrowsError(try Palette(stops: [LabColor(l: 50, a: 0, b: 0)]))
    }

    func testGradientIsPiecewiseLinearInLabAndDisplayable() throws {
        let palette = try Palette(parsing: "#000000 #ff0000 #ffffff")
        XCTAssertEqual(palette.color(at: 0), palette.stops[0])
        XCTAssertEqual(palette.color(at: 0.5), palette.stops[1])
        XCTAssertEqual(palette.color(at: 1), palette.stops[2])
        let quarter = palette.color(at: 0.25)
        XCTAssertEqual(quarter.l, (palette.stops[0].l + palette.stops[1].l) / 2, accuracy: 1e-12)
        // Blue to yellow passes outside sRGB in CIELAB; the samples are brought back in.
        let wide = try Palette(parsing: "#0000ff #ffff00")
        XCTAssertTrue(wide.gradient().allSatisfy(\.isInSRGBGamut))
        XCTAssertEqual(wide.gradient(samples: 9).count, 9)
    }

    // MARK: - Extraction

    func testExtractFindsFlatBlockColours() throws {
        let palette = try Palette.extract(from: Self.fourBlocks(), colors: 4, seed: 7)
        XCTAssertEqual(palette.stops.count, 4)
        for (r, g, b) in Self.blockColours {
            let want = LabColor(r: r, g: g, b: b)
            let nearest = palette.stops.map { $0.deltaE00(want) }.min()!
            XCTAssertLessThan(nearest, 2, "\(r),\(g),\(b) → \(palette.hexColors)")
        }
        XCTAssertEqual(palette.stops.map(\.l), palette.stops.map(\.l).sorted(), "dark to light")
    }

    func testExtractFromAFile() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("blocks.png").path
        let image = Self.fourBlocks(width: 120, height: 90)
        try PNGWriter.write(image, to: path)
        XCTAssertEqual(try Palette.extract(fromImageAt: path, colors: 4, seed: 7), try Palette.extract(from: image, colors: 4, seed: 7))
        let missing = dir.appendingPathComponent("gone.png").path
        XCTAssertThrowsError(try Palette.extract(fromImageAt: missing, colors: 4, seed: 7)) { error in
            XCTAssertEqual("\(error)", "\(missing): no such file")
        }
    }

    func testExtractIsDeterministic() throws {
        let image = Self.noiseAndGradients(width: 160, height: 120, seed: 3)
        let a = try Palette.extract(from: image, colors: 6, seed: 11)
        let b = try Palette.extract(from: image, colors: 6, seed: 11)
        XCTAssertEqual(a.stops, b.stops, "same bits")
        XCTAssertEqual(a.stops.count, 6)
        XCTAssertEqual(a.stops.map(\.l), a.stops.map(\.l).sorted())
        let large = Palette.extractionCopy(RGBImage(width: 1280, height: 533))
        XCTAssertLessThanOrEqual(large.width * large.height, Palette.extractionPixels)
        XCTAssertGreaterThan(large.width * large.height, Palette.extractionPixels * 9 / 10)
        XCTAssertThrowsError(try Palette.extract(from: image, colors: 1, seed: 0))
        XCTAssertThrowsError(try Palette.extract(from: image, colors: 17, seed: 0))
    }

    func testExtractFromFewColours() throws {
        var two = RGBImage(width: 8, height: 8)
        for p in 0..<32 { two.pixels[p * 3] = 255 }
        let palette = try Palette.extract(from: two, colors: 5, seed: 1)
        XCTAssertEqual(palette.hexColors, ["#000000", "#ff0000"])
        let flat = RGBImage(width: 4, height: 4, pixels: [UInt8](repeating: 90, count: 48))
        XCTAssertEqual(try Palette.extract(from: flat, colors: 3, seed: 1).hexColors, ["#5a5a5a", "#5a5a5a"])
    }

    // MARK: - The gradient map

    func testMapEndsAreThePaletteEnds() throws {
        let palette = try Palette.named("ember")
        let map = PaletteMap(palette: palette)
        var image = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        map.apply(&image, shift: 0)
        let hex = palette.hexColors
        XCTAssertEqual(image.pixels, hexBytes(hex.first!) + hexBytes(hex.last!))
        // A shift of one palette length mirrors the ramp: black now takes the light end.
        var shifted = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        map.apply(&shifted, shift: 1)
        XCTAssertEqual(shifted.pixels, hexBytes(hex.last!) + hexBytes(hex.first!))
    }

    private func hexBytes(_ hex: String) -> [UInt8] {
        let v = UInt32(hex.dropFirst(), radix: 16)!
        return [UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    func testShiftIsMirroredAndContinuous() throws {
        XCTAssertEqual(PaletteMap.mirror(0), 0)
        XCTAssertEqual(PaletteMap.mirror(1), 1)
        XCTAssertEqual(PaletteMap.mirror(1.5), 0.5)
        XCTAssertEqual(PaletteMap.mirror(2), 0)
        XCTAssertEqual(PaletteMap.mirror(-0.25), 0.25)
        XCTAssertEqual(PaletteMap.mirror(3.75), 0.25)
        let map = PaletteMap(palette: try Palette.named("glacier"))
        // Period 2 (up to the rounding of the shifted position to a table row).
        XCTAssertLessThanOrEqual(zip(map.positionRemap(shift: 0.3), map.positionRemap(shift: 2.3)).map { abs(Int($0) - Int($1)) }.max()!, 1)
        // Sweeping the shift in small steps never jumps: no seam anywhere along the palette.
        var previous = map.positionRemap(shift: -1)
        for step in 1...400 {
            let remap = map.positionRemap(shift: -1 + Float(step) * 0.01)
            let jump = zip(previous, remap).map { abs(Int($0) - Int($1)) }.max()!
            XCTAssertLessThanOrEqual(jump, 12, "shift step \(step)")  // 0.01 of 1023 rows ≈ 10
            previous = remap
        }
    }

    func testPaletteBoundOnNoiseAndGradients() throws {
        let images = [Self.noiseAndGradients(width: 64, height: 48, seed: 1), MediaFixtures.frame(4, width: 64, height: 48)]
        var palettes = try PaletteLibrary.names.map { ($0, try Palette.named($0)) }
        palettes.append(("extracted", try Palette.extract(from: Self.noiseAndGradients(width: 200, height: 120, seed: 9), colors: 8, seed: 2)))
        palettes.append(("blue-yellow", try Palette(parsing: "#0000ff #ffff00 #ff00ff")))
        for (name, palette) in palettes {
            let map = PaletteMap(palette: palette)
            for (i, source) in images.enumerated() {
                for shift: Float in i == 0 ? [0, 0.37, -1.3] : [0.81] {
                    var image = source
                    map.apply(&image, shift: shift)
                    let within10 = palette.fractionWithin(deltaE: 10, of: image)
                    XCTAssertGreaterThanOrEqual(within10, 0.99, "\(name) image \(i) shift \(shift)")
                    if shift == 0 {
                        let within6 = palette.fractionWithin(deltaE: 6, of: image)
                        XCTAssertGreaterThanOrEqual(within6, 0.99, "\(name) image \(i): the designed margin")
                    }
                }
            }
        }
        // And the measure itself: an unmapped noise frame is mostly far from a narrow palette.
        XCTAssertLessThan(try Palette.named("glacier").fractionWithin(deltaE: 10, of: images[0]), 0.5)
    }

    func testApplyIsDeterministic() throws {
        let map = PaletteMap(palette: try Palette.named("neon"), stretch: 1.6)
        var a = Self.noiseAndGradients(width: 64, height: 40, seed: 5), b = a
        map.apply(&a, shift: 0.81)
        map.apply(&b, shift: 0.81)
        XCTAssertEqual(a, b)
        XCTAssertEqual(PaletteMap(palette: try Palette.named("neon"), stretch: 1.6).positionRemap(shift: 0.81), map.positionRemap(shift: 0.81))
    }
}
