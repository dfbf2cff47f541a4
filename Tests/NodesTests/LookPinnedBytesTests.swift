import CLookKernels
import Foundation
import XCTest
@testable import Nodes

/// Pins the CPPN's output bytes: cached shards stay valid only while these hold. If a change
/// to the generator moves them on purpose, bump `CPPN.version` and update the digests.
final class LookPinnedBytesTests: XCTestCase {
    func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    // Every kernel path must give the pinned bytes; a path this CPU lacks is reported as skipped.
    func testFramesMatchPinnedDigestsOnSSE2() throws { try KernelPath.sse2.run(checkFrames) }
    func testFramesMatchPinnedDigestsOnAVX2() throws { try KernelPath.avx2.run(checkFrames) }
    func testFramesMatchPinnedDigestsOnAVX512() throws { try KernelPath.avx512.run(checkFrames) }
    func testPostEffectsMatchPinnedDigestsOnSSE2() throws { try KernelPath.sse2.run(checkPostEffects) }
    func testPostEffectsMatchPinnedDigestsOnAVX2() throws { try KernelPath.avx2.run(checkPostEffects) }
    func testPostEffectsMatchPinnedDigestsOnAVX512() throws { try KernelPath.avx512.run(checkPostEffects) }

    func checkFrames() throws {
        // Odd sizes and widths exercise every vector tail; 6 layers use every activation.
        let cases: [(hidden: Int, layers: Int, width: Int, height: Int, digest: UInt64)] = [
            (32, 4, 160, 90, 8_335_021_322_502_531_055), (13, 6, 37, 23, 4_331_279_030_169_692_804),
            (5, 2, 64, 7, 2_556_422_551_594_622_821),
        ]
        let latent = ArraySlice(Controller.seededAnchors(count: 1, dim: 8, seed: 9)[0])
        for c in cases {
            var config = GeneratorConfig()
            config.hidden = c.hidden
            config.layers = c.layers
            let image = try CPPN(config: config, latentDim: 8).render(latent: latent, width: c.width, height: c.height,
                                                                     zoom: 1.3, rotation: 0.4)
            XCTAssertEqual(fnv1a(image.pixels), c.digest, "hidden \(c.hidden) layers \(c.layers) \(c.width)x\(c.height)")
        }
    }

    /// Post-effects are part of the track's bytes too (bump `PostFX.version` when these move).
    func checkPostEffects() throws {
        // A seeded frame of gradients and noise, not a CPPN frame: these digests must move only
        // when the post-effects do.
        var rng = SeededRandom(seed: 9, stream: 3)
        let frame = RGBImage(width: 97, height: 61, pixels: (0..<(97 * 61 * 3)).map { i in
            let p = i / 3, x = p % 97, y = p / 97
            return UInt8(truncatingIfNeeded: (x * 2 + y * (i % 3 + 1)) / 2 + Int(rng.next() % 40))
        })
        var everything = PostFXConfig()
        everything.toneCurve = "punch"
        everything.vignette = 0.4
        everything.chromaShift = 3
        everything.trails = true
        everything.grain = 0.3
        everything.flash = 0.6
        var plain = PostFXConfig()
        plain.vignette = 0
        let cases: [(PostFXConfig, UInt64)] = [(everything, 17_118_686_839_772_132_737), (plain, 9_200_047_219_441_362_480),
                                           (PostFXConfig(), 11_584_772_502_443_065_788)]
        for (config, digest) in cases {
            var fx = try PostFX(config: config, seed: 5, fps: 30)
            var digests: [UInt8] = []
            for i in 0..<4 {
                var image = frame
                let curves = FrameCurves(zoom: 1, rotation: 0, hue: 0.1 * Float(i), flash: i == 2 ? 1 : 0.2, contrast: 1 + 0.1 * Float(i))
                fx.apply(&image, frame: i, curves: curves)
                digests += withUnsafeBytes(of: fnv1a(image.pixels)) { Array($0) }
            }
            XCTAssertEqual(fnv1a(digests), digest, "\(config)")
        }
    }
}
