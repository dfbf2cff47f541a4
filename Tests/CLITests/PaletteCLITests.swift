import Foundation
import Nodes
import XCTest

/// `look.palette`: frames mapped into a palette, checked on real stills of a rendered track.
final class PaletteCLITests: XCTestCase {
    static let project: TestProject = try! TestProject()
    /// Post-effects off, so the still is the palette-mapped frame (upscaled).
    static let plain = ["--set", "postfx.tone_curve=linear", "--set", "postfx.vignette=0", "--set", "postfx.flash=0"]

    func still(_ at: String, _ name: String, _ extra: [String]) throws -> RGBImage {
        let p = Self.project
        let result = try CLI.run(["still", "track:one", "--at", at, "-o", name] + Self.plain + extra, in: p.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        return RGBImage(width: 96, height: 64, pixels: [UInt8](try CLI.rgb24(p.root + "/" + name)))
    }

    func testFramesKeepToThePalette() throws {
        let p = Self.project
        try PNGWriter.write(StyleCLITests.stripes(), to: p.root + "/swatch.png")
        let cases: [(String, [String], Palette)] = [
            ("named", ["--set", "look.palette=glacier"], try Palette.named("glacier")),
            ("listed", ["--set", "look.palette=#1b1b3a #693668 #a74482 #f84aa7"], try Palette(parsing: "#1b1b3a #693668 #a74482 #f84aa7")),
            ("from an image", ["--set", "look.palette_from=swatch.png", "--set", "look.palette_colors=3"],
             try Palette.extract(from: StyleCLITests.stripes(), colors: 3, seed: 1)),
        ]
        let raw = try still("1.5", "raw.png", [])
        XCTAssertLessThan(try Palette.named("glacier").fractionWithin(deltaE: 10, of: raw), 0.5, "without a palette the frame is its own colours")
        for (name, options, palette) in cases {
            for at in ["0.5", "1.5", "2.5"] {
                let image = try still(at, "\(name)-\(at).png", options)
                let inside = palette.fractionWithin(deltaE: 10, of: image)
                XCTAssertGreaterThanOrEqual(inside, 0.95, "\(name) at \(at) s: \(inside) of the pixels within ΔE00 10")
            }
        }
    }

    /// The gallery's previews show the frames in the palette, as the video does.
    func testPreviewsAreInThePalette() throws {
        let p = try TestProject()
        let result = try p.ntsbuild("preview:one", "--set", "look.palette=ember")
        XCTAssertEqual(result.status, 0, result.stderr)
        let poster = p.latest + "/one-poster.png"
        let pixels = [UInt8](try CLI.rgb24(poster))
        let image = RGBImage(width: 48, height: 32, pixels: pixels)
        XCTAssertGreaterThanOrEqual(try Palette.named("ember").fractionWithin(deltaE: 10, of: image), 0.95)
    }

    func testUnknownPaletteIsAnErrorWhenTheBuildfileIsRead() throws {
        let result = try CLI.run(["-n", "--set", "look.palette=glaceir"], in: Self.project.root)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("look.palette") && result.stderr.contains("did you mean glacier"), result.stderr)
    }
}
