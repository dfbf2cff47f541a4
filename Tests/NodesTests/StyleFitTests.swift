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
        let fitter = StyleFitter(settings: settings(steps: 4))
        let result = try fitter.fit(reference: stripes())
        XCTAssertEqual(result.weights.latent, fitter.initialWeights().latent)
        XCTAssertNotEqual(result.weights.coord, fitter.initialWeights().coord)
    }
}
