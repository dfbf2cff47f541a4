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

    func testFitIsDeterministic() throws {
        let a = try StyleFitter(settings: settings(steps: 6)).fit(reference: stripes())
        let b = try StyleFitter(settings: settings(steps: 6)).fit(reference: stripes())
        XCTAssertEqual(a.weights.flattened.map(\.bitPattern), b.weights.flattened.map(\.bitPattern))
        XCTAssertEqual(a.colour, b.colour)
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
