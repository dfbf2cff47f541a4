import XCTest
@testable import Nodes

final class StyleFitTests: XCTestCase {
    /// A tiny reference: warm stripes over a dark ground.
    private func stripes(width: Int = 24, height: Int = 20) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let on = (x / 3) % 2 == 0
                let i = 3 * (y * width + x)
                image.pixels[i] = on ? 230 : 20
                image.pixels[i + 1] = on ? 120 : 10
                image.pixels[i + 2] = on ? 30 : 60
            }
        }
        return image
    }

    private func settings(steps: Int) -> StyleSettings {
        var s = StyleSettings(name: "tiny", reference: "tiny.png")
        s.hidden = 8
        s.layers = 3
        s.size = 16
        s.steps = steps
        s.batch = 2
        s.latentDim = 4
        s.rate = 0.02
        return s
    }

    func testFitReducesTheLoss() throws {
        let result = try StyleFitter(settings: settings(steps: 60)).fit(reference: stripes())
        let first = result.colour.prefix(5).reduce(0, +) / 5, last = result.colour.suffix(5).reduce(0, +) / 5
        XCTAssertLessThan(last, 0.5 * first, "colour distance \(first) → \(last)")
        // The texture term starts near its floor on so small a render; it must not be traded away.
        let t0 = result.texture.prefix(5).reduce(0, +) / 5, t1 = result.texture.suffix(5).reduce(0, +) / 5
        XCTAssertLessThan(t1, 1.5 * t0, "texture distance \(t0) → \(t1)")
    }

    /// The spectrum term (on by default) falls during a fit, is recorded in the style file, and
    /// weight 0 leaves it out: another fit, no curve.
    func testSpectrumTermFallsAndWeightZeroLeavesItOut() throws {
        // One soft warm blob on a dark ground, wider than the render: a spectrum a small CPPN can reach.
        var blob = RGBImage(width: 40, height: 32)
        for y in 0..<32 {
            for x in 0..<40 {
                let v = exp(-Double((x - 20) * (x - 20) + (y - 16) * (y - 16)) / 60)
                let i = 3 * (y * 40 + x)
                blob.pixels[i] = UInt8(20 + 210 * v)
                blob.pixels[i + 1] = UInt8(10 + 110 * v)
                blob.pixels[i + 2] = UInt8(60 - 30 * v)
            }
        }
        var s = settings(steps: 80)
        s.size = 24
        s.batch = 4
        let result = try StyleFitter(settings: s).fit(reference: blob)
        XCTAssertEqual(result.spectrum.count, 80)
        let first = result.spectrum.prefix(10).reduce(0, +) / 10, last = result.spectrum.suffix(10).reduce(0, +) / 10
        XCTAssertLessThan(last, 0.8 * first, "spectrum term \(first) → \(last)")
        XCTAssertNotNil(result.styleFile(referenceSHA256: "x").metadata["loss_spectrum"])
        let with = try StyleFitter(settings: settings(steps: 6)).fit(reference: stripes())
        var off = settings(steps: 6)
        off.spectrum = 0
        let without = try StyleFitter(settings: off).fit(reference: stripes())
        XCTAssertTrue(without.spectrum.isEmpty)
        XCTAssertNil(without.styleFile(referenceSHA256: "x").metadata["loss_spectrum"])
        XCTAssertNotEqual(without.weights.flattened.map(\.bitPattern), with.weights.flattened.map(\.bitPattern))
    }

    func testFitIsDeterministic() throws {
        let a = try StyleFitter(settings: settings(steps: 6)).fit(reference: stripes())
        let b = try StyleFitter(settings: settings(steps: 6)).fit(reference: stripes())
        XCTAssertEqual(a.weights.flattened.map(\.bitPattern), b.weights.flattened.map(\.bitPattern))
        XCTAssertEqual(a.colour, b.colour)
        // With the start turned to the reference's edges and the hidden layers scaled too.
        var s = settings(steps: 6)
        s.orientation = 0.5
        s.gain = 0.8
        let c = try StyleFitter(settings: s).fit(reference: stripes())
        let d = try StyleFitter(settings: s).fit(reference: stripes())
        XCTAssertEqual(c.weights.flattened.map(\.bitPattern), d.weights.flattened.map(\.bitPattern))
        XCTAssertNotEqual(c.weights.flattened.map(\.bitPattern), a.weights.flattened.map(\.bitPattern))
    }

    func testLatentWeightsStayAtTheirSeededValues() throws {
        let s = settings(steps: 4)
        let result = try StyleFitter(settings: s).fit(reference: stripes())
        let start = StyleFitter.initialWeights(s, frequency: result.frequency)
        XCTAssertEqual(result.weights.latent, start.latent)
        XCTAssertNotEqual(result.weights.coord, start.coord)
    }

    /// A reference of one fine texture starts its fit at a higher frequency than a smooth one.
    func testFrequencyFollowsTheReferencesSpectrum() throws {
        var s = settings(steps: 1)
        s.size = 48
        func image(_ value: (Int, Int) -> Double) -> RGBImage {
            var image = RGBImage(width: 64, height: 48)
            for y in 0..<48 {
                for x in 0..<64 {
                    let v = UInt8(max(0, min(255, 128 + 100 * value(x, y))))
                    for c in 0..<3 { image.pixels[3 * (y * 64 + x) + c] = c == 1 ? v / 2 : v }
                }
            }
            return image
        }
        let smooth = image { x, y in sin(Double(x) / 14) * cos(Double(y) / 17) }
        let fine = image { x, y in (x + 2 * y) % 3 == 0 ? 1 : -1 }
        let low = try StyleFitter(settings: s).fit(reference: smooth).frequency
        let high = try StyleFitter(settings: s).fit(reference: fine).frequency
        XCTAssertLessThan(low, high)
        XCTAssertTrue(FrequencyChoice.candidates.contains(low) && FrequencyChoice.candidates.contains(high))
        // A frequency in the settings is used as given.
        s.frequency = 2.5
        XCTAssertEqual(try StyleFitter(settings: s).fit(reference: smooth).frequency, 2.5)
    }

    /// Vertical stripes (brightness changing along x only): every turned unit runs along x, and
    /// the seeded network, so turned, renders edges that run the reference's way.
    func testOrientationTurnsTheFirstLayerToTheReferencesEdges() throws {
        var s = settings(steps: 1)
        s.size = 24
        let reference = StyleLoss.Reference(image: stripes(), filters: TextureFilters(seed: 1), spectral: SpectralShares(size: 16))
        let directions = try XCTUnwrap(OrientationChoice.directions(reference, units: s.hidden, seed: 1))
        for d in directions { XCTAssertEqual(abs(d.x), 1, accuracy: 1e-6); XCTAssertEqual(d.y, 0, accuracy: 1e-6) }
        // A flat reference has no edges to follow.
        let flat = StyleLoss.Reference(image: RGBImage(width: 24, height: 20), filters: TextureFilters(seed: 1), spectral: SpectralShares(size: 16))
        XCTAssertNil(OrientationChoice.directions(flat, units: s.hidden, seed: 1))

        /// Horizontal over vertical luminance-gradient energy of renders of the start at a few latents.
        func anisotropy(_ weights: CPPNWeights) -> Double {
            var random = SeededRandom(seed: 5)
            var horizontal = 0.0, vertical = 0.0
            for _ in 0..<4 {
                let latent = (0..<s.latentDim).map { _ in random.nextGaussian() }
                let image = CPPN(weights: weights).render(latent: latent[...], width: 48, height: 48)
                func l(_ x: Int, _ y: Int) -> Double { (0..<3).reduce(0.0) { $0 + Double(image.pixels[3 * (y * 48 + x) + $1]) } }
                for y in 0..<47 { for x in 0..<47 {
                    horizontal += pow(l(x + 1, y) - l(x, y), 2)
                    vertical += pow(l(x, y + 1) - l(x, y), 2)
                } }
            }
            return horizontal / max(vertical, 1e-9)
        }
        let seeded = anisotropy(StyleFitter.initialWeights(s, frequency: 2))
        let turned = anisotropy(StyleFitter.initialWeights(s, frequency: 2, directions: directions))
        XCTAssertGreaterThan(turned, 20, "turned start: horizontal / vertical gradient energy \(turned)")
        XCTAssertLessThan(seeded, 5, "seeded start: \(seeded)")
        // Half the units: the other half keep their seeded directions.
        let half = StyleFitter.initialWeights(s, frequency: 2, directions: Array(directions.prefix(s.hidden / 2)))
        let start = StyleFitter.initialWeights(s, frequency: 2)
        XCTAssertEqual(half.coord[(s.hidden / 2)..<s.hidden], start.coord[(s.hidden / 2)..<s.hidden])
        XCTAssertEqual(half.coord[(2 * s.hidden + s.hidden / 2)...], start.coord[(2 * s.hidden + s.hidden / 2)...])
        XCTAssertEqual(half.coord[(2 * s.hidden)..<(2 * s.hidden + s.hidden / 2)], ArraySlice(repeating: 0, count: s.hidden / 2), "a turned unit is a plane wave")

        // Through the fitter: `orientation: 0.5` turns the first half of the units, then one Adam step.
        s.orientation = 0.5
        let fitted = try StyleFitter(settings: s).fit(reference: stripes()).weights.coord
        for j in 0..<(s.hidden / 2) {
            XCTAssertLessThan(abs(fitted[s.hidden + j]), 0.1 * abs(fitted[j]), "unit \(j) runs along x")
            XCTAssertLessThanOrEqual(abs(fitted[2 * s.hidden + j]), 1.01 * Float(s.rate), "unit \(j)'s radius weight started at 0")
        }
    }

    /// Unset, the gain follows the reference: 0.8 when most of its pixels are flat, 1 when it has
    /// structure everywhere. Set, it is kept. The fit records the gain it started from.
    func testGainIsChosenFromTheReferencesFlatShare() throws {
        let filters = TextureFilters(seed: 1)
        let black = StyleLoss.Reference(image: RGBImage(width: 64, height: 64), filters: filters, spectral: SpectralShares(size: 16))
        XCTAssertEqual(GainChoice.flatShare(black), 1)
        XCTAssertEqual(GainChoice.gain(for: black), 0.8)
        var noise = RGBImage(width: 64, height: 64)
        var r = SeededRandom(seed: 5)
        for i in noise.pixels.indices { noise.pixels[i] = UInt8(r.next() % 256) }
        let noisy = StyleLoss.Reference(image: noise, filters: filters, spectral: SpectralShares(size: 16))
        XCTAssertLessThan(GainChoice.flatShare(noisy), 0.05)
        XCTAssertEqual(GainChoice.gain(for: noisy), 1)

        // Stripes 3 pixels wide: two positions in three have no edge to their right or below.
        let chosen = try StyleFitter(settings: settings(steps: 2)).fit(reference: stripes())
        XCTAssertEqual(chosen.gain, 0.8)
        XCTAssertNil(chosen.settings.gain, "the style file's settings stay as written")
        XCTAssertEqual(chosen.styleFile(referenceSHA256: "x").metadata["gain"], "0.8")
        var fixed = settings(steps: 2)
        fixed.gain = 1
        let kept = try StyleFitter(settings: fixed).fit(reference: stripes())
        XCTAssertEqual(kept.gain, 1)
        XCTAssertNotEqual(kept.weights.flattened, chosen.weights.flattened)
    }

    /// `gain` scales the hidden layers' weights of the start, nothing else.
    func testGainScalesTheHiddenLayers() {
        var s = settings(steps: 1)
        let plain = StyleFitter.initialWeights(s, frequency: 1.5)
        s.gain = 0.5
        let scaled = StyleFitter.initialWeights(s, frequency: 1.5)
        for i in 1..<plain.weights.count { XCTAssertEqual(scaled.weights[i], plain.weights[i].map { $0 * 0.5 }) }
        XCTAssertEqual(scaled.coord, plain.coord)
        XCTAssertEqual(scaled.outWeight, plain.outWeight)
        XCTAssertEqual(scaled.biases, plain.biases)
    }

    /// The fitter's gaussian floors its exponent at −64 like the frame kernel: never a subnormal float.
    func testGaussianActivationIsNeverSubnormal() {
        for v: Float in [0, 0.5, 3, 9.5, 10, 30, 1e4, -1e4] {
            let g = TrainingMath.gaussian(v)
            XCTAssertTrue(g.isNormal, "gaussian(\(v)) = \(g)")
            XCTAssertEqual(Double(g), max(exp(-Double(v) * Double(v)), pow(2, -64)), accuracy: 1e-5 * max(Double(g), 1e-30) + 1e-6)
        }
        XCTAssertEqual(TrainingMath.gaussian(30), Float(pow(2.0, -64.0)), accuracy: 1e-25)
    }
}
