import XCTest
@testable import Nodes

/// Every hand-written backward pass of style fitting against central finite differences.
final class StyleGradientTests: XCTestCase {
    /// Central difference of `f` at `x[i]`.
    private func numeric(_ x: [Float], _ i: Int, eps: Float = 1e-2, _ f: ([Float]) -> Double) -> Double {
        var plus = x, minus = x
        plus[i] += eps
        minus[i] -= eps
        return (f(plus) - f(minus)) / Double(2 * eps)
    }

    /// Relative agreement; `floor` keeps a tiny gradient's float noise (the forward pass is Float) from counting.
    private func assertClose(_ analytic: Double, _ numeric: Double, _ what: String, tolerance: Double = 2e-2, floor: Double = 1e-2,
                             file: StaticString = #filePath, line: UInt = #line) {
        let scale = max(abs(analytic), abs(numeric), floor)
        XCTAssertLessThan(abs(analytic - numeric) / scale, tolerance, "\(what): analytic \(analytic), numeric \(numeric)", file: file, line: line)
    }

    private func randomVector(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var r = SeededRandom(seed: seed)
        return (0..<n).map { _ in scale * r.nextGaussian() }
    }

    /// Hidden 5 × 5 layers: sin, cos, gaussian, tanh and sin again, then the sigmoid output.
    func testCPPNGradientMatchesFiniteDifferencesForEveryLayer() {
        let size = 5
        let coords = CoordinateCache.make(width: size, height: size)
        var weights = CPPNWeights(hidden: 5, layers: 5, latentDim: 3, seed: 9)
        weights.outBias = [0.1, -0.2, 0.3]
        let latent: [Float] = [0.4, -1.1, 0.7]
        let readout = randomVector(size * size * 3, seed: 3)
        let tape = CPPNTape(hidden: 5, layers: 5, pixels: size * size)
        func loss(_ w: CPPNWeights) -> Double {
            tape.forward(w, coordinates: coords.values, stride: coords.stride, latent: latent)
            return zip(tape.rgb, readout).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        _ = loss(weights)
        var gradient = weights.zeros()
        tape.backward(weights, coordinates: coords.values, stride: coords.stride, latent: latent, dRGB: readout, into: &gradient)
        let analytic = gradient.flattened
        let x = weights.flattened
        // Name each parameter's group, in `forEachParameter` order.
        var groups: [String] = []
        var names = weights
        var index = 0
        names.forEachParameter { array in
            let name = ["coord", "latent", "bias0", "bias1", "bias2", "bias3", "bias4", "w0", "w1", "w2", "w3", "w4", "out", "outBias"][index]
            groups += Array(repeating: name, count: array.count)
            index += 1
        }
        let largest = Double(analytic.map(abs).max()!)
        var checked = Set<String>()
        for i in x.indices {
            let n = numeric(x, i, eps: 3e-4) { v in var w = weights; w.assign(v); return loss(w) }
            assertClose(Double(analytic[i]), n, "\(groups[i])[\(i)]", floor: 3e-3 * largest)
            checked.insert(groups[i])
        }
        XCTAssertEqual(checked, Set(groups.filter { $0 != "w0" }))
    }

    func testLabBackwardMatchesFiniteDifferences() {
        // Dark values exercise the linear toes of both the sRGB curve and f(t).
        let rgb: [Float] = [0.02, 0.5, 0.9, 0.3, 0.01, 0.03, 0.8, 0.7, 0.1]
        let readout = randomVector(9, seed: 4)
        let analytic = LabTransform.backward(rgb, dLab: readout)
        for i in rgb.indices {
            let n = numeric(rgb, i, eps: 1e-3) { v in zip(LabTransform.forward(v), readout).reduce(0.0) { $0 + Double($1.0 * $1.1) } }
            assertClose(Double(analytic[i]), n, "rgb[\(i)]")
        }
    }

    func testSlicedWassersteinGradientMatchesFiniteDifferences() {
        // Points far apart along every direction, so a small step reorders nothing.
        let points: [Float] = [0, 0, 3, 1, 7, -2, -4, 5, 11, 9, 2, 6]
        let target = randomVector(20 * 2, seed: 5, scale: 4)
        let sw = SlicedWasserstein(target: target, dimension: 2, directions: randomVector(6, seed: 6), count: 6)
        var gradient = [Float](repeating: 0, count: points.count)
        _ = sw.loss(points, weight: 1, gradient: &gradient)
        for i in points.indices {
            let n = numeric(points, i, eps: 1e-3) { v in var g = [Float](repeating: 0, count: v.count); return sw.loss(v, weight: 1, gradient: &g) }
            assertClose(Double(gradient[i]), n, "point[\(i)]")
        }
    }

    func testTextureFiltersBackwardMatchesFiniteDifferences() {
        let filters = TextureFilters(scales: 2, channels: 4, size: 3, seed: 2)
        let width = 9, height = 8
        let planes = randomVector(3 * width * height, seed: 7)
        let levels = filters.forward(planes, width: width, height: height)
        XCTAssertEqual(levels.count, 2)
        let readouts = levels.enumerated().map { randomVector($1.features.count, seed: 10 + UInt64($0)) }
        let analytic = filters.backward(levels, dFeatures: readouts)
        func loss(_ v: [Float]) -> Double {
            zip(filters.forward(v, width: width, height: height), readouts).reduce(0.0) { sum, pair in
                sum + zip(pair.0.features, pair.1).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            }
        }
        for i in stride(from: 0, to: planes.count, by: 5) {
            assertClose(Double(analytic[i]), numeric(planes, i, eps: 1e-3, loss), "plane value \(i)", tolerance: 5e-2)
        }
    }

    func testLuminanceGradientsBackwardMatchesFiniteDifferences() {
        let width = 7, height = 6
        let planes = randomVector(3 * width * height, seed: 12)
        let readout = randomVector(2 * (width - 1) * (height - 1), seed: 13)
        var analytic = [Float](repeating: 0, count: planes.count)
        LuminanceGradients.backward(readout, width: width, height: height, into: &analytic)
        func loss(_ v: [Float]) -> Double {
            zip(LuminanceGradients.forward(v, width: width, height: height), readout).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        for i in planes.indices {
            assertClose(Double(analytic[i]), numeric(planes, i, eps: 1e-2, loss), "plane value \(i)")
        }
        // Only the L plane moves the gradients.
        XCTAssertTrue(analytic[(width * height)...].allSatisfy { $0 == 0 })
    }

    /// The energy-share term's gradient, level by level (levels of different sizes and energies).
    func testEnergySharesBackwardMatchesFiniteDifferences() {
        let sizes = [40, 18, 8, 2]
        let gradients = sizes.enumerated().map { randomVector($1, seed: 30 + UInt64($0), scale: Float(1 + $0)) }
        let reference = [0.3, 2.0, 5.0, 1.0]
        var analytic = gradients.map { [Float](repeating: 0, count: $0.count) }
        _ = EnergyShares.loss(gradients, reference: reference, weight: 1, into: &analytic)
        for s in gradients.indices {
            for i in gradients[s].indices {
                let n = numeric(gradients[s], i, eps: 1e-2) { v in
                    var levels = gradients
                    levels[s] = v
                    var unused = levels.map { [Float](repeating: 0, count: $0.count) }
                    return EnergyShares.loss(levels, reference: reference, weight: 1, into: &unused)
                }
                assertClose(Double(analytic[s][i]), n, "level \(s) value \(i)")
            }
        }
    }

    /// Coarse levels (no filter responses) carry gradients back through the 2×2 averages too.
    func testCoarseLevelsBackwardCarriesLevelPlaneGradients() {
        let filters = TextureFilters(scales: 1, channels: 4, size: 3, coarseLevels: 2, seed: 2)
        let levels = checkLevelPlaneGradients(filters, width: 12, height: 10, seed: 15)
        XCTAssertEqual(levels.map(\.width), [12, 6, 3])
        XCTAssertEqual(levels.map(\.features.isEmpty), [false, true, true])
    }

    /// Gradients put on each level's planes reach level 0 through the 2×2 averages.
    func testTextureFiltersBackwardCarriesLevelPlaneGradients() {
        _ = checkLevelPlaneGradients(TextureFilters(scales: 2, channels: 4, size: 3, seed: 2), width: 9, height: 8, seed: 14)
    }

    /// Random readouts of every level's planes, through `backward`, against finite differences.
    private func checkLevelPlaneGradients(_ filters: TextureFilters, width: Int, height: Int, seed: UInt64) -> [TextureFilters.Level] {
        let planes = randomVector(3 * width * height, seed: seed)
        let levels = filters.forward(planes, width: width, height: height)
        let zero = levels.map { [Float](repeating: 0, count: $0.features.count) }
        let readouts = levels.enumerated().map { randomVector($1.planes.count, seed: 6 + seed + UInt64($0)) }
        let analytic = filters.backward(levels, dFeatures: zero, dPlanes: readouts)
        func loss(_ v: [Float]) -> Double {
            zip(filters.forward(v, width: width, height: height), readouts).reduce(0.0) { sum, pair in
                sum + zip(pair.0.planes, pair.1).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            }
        }
        for i in planes.indices {
            assertClose(Double(analytic[i]), numeric(planes, i, eps: 1e-2, loss), "plane value \(i)")
        }
        return levels
    }

    /// The spectrum term's backward pass (two transforms, the window and the mean) against finite differences.
    func testSpectralSharesBackwardMatchesFiniteDifferences() {
        let n = 12
        let spectral = SpectralShares(size: n)
        let plane = randomVector(n * n, seed: 31)
        // The reference: a wider plane, so its shares average two windows.
        let reference = spectral.referenceShares(randomVector(n * (n + 5), seed: 32).enumerated().map { i, v in v + Float(i % (n + 5)) * 0.2 },
                                                 width: n + 5, height: n)
        XCTAssertEqual(reference.reduce(0, +), 1, accuracy: 1e-9)
        var analytic = [Float](repeating: 0, count: n * n)
        let value = spectral.loss(plane, reference: reference, weight: 1, into: &analytic)
        XCTAssertGreaterThan(value, 0)
        for i in plane.indices {
            assertClose(Double(analytic[i]), numeric(plane, i, eps: 1e-2) { v in
                var unused = [Float](repeating: 0, count: n * n)
                return spectral.loss(v, reference: reference, weight: 1, into: &unused)
            }, "plane value \(i)")
        }
        // A plane compared with its own shares is at the minimum.
        var unused = [Float](repeating: 0, count: n * n)
        let own = spectral.referenceShares(plane, width: n, height: n)
        XCTAssertEqual(spectral.loss(plane, reference: own, weight: 1, into: &unused), 0, accuracy: 1e-9)
    }

    /// Colour and texture terms together, from the render's RGB through Lab, filters and both distances.
    func testStyleLossGradientMatchesFiniteDifferences() {
        checkStyleLossGradient(TextureFilters(scales: 2, channels: 4, size: 3, seed: 3), energy: 0)
    }

    /// The same with coarse levels (gradients only) and the energy-share term.
    func testStyleLossGradientWithCoarseLevelsAndEnergySharesMatchesFiniteDifferences() {
        checkStyleLossGradient(TextureFilters(scales: 2, channels: 4, size: 3, coarseLevels: 1, seed: 3), energy: 0.7)
    }

    /// The same with the spectrum term, through Lab to the render's RGB.
    func testStyleLossGradientWithSpectrumMatchesFiniteDifferences() {
        checkStyleLossGradient(TextureFilters(scales: 2, channels: 4, size: 3, seed: 3), energy: 0, spectrum: 0.8)
    }

    private func checkStyleLossGradient(_ filters: TextureFilters, energy: Float, spectrum: Float = 0, file: StaticString = #filePath, line: UInt = #line) {
        let size = 12
        var r = SeededRandom(seed: 8)
        let reference = RGBImage(width: 16, height: 14, pixels: (0..<(16 * 14 * 3)).map { _ in UInt8(r.next() % 256) })
        var loss = StyleLoss(filters: filters, size: size)
        let prepared = StyleLoss.Reference(image: reference, filters: filters, spectral: loss.spectral)
        loss.textureWeight = 3
        loss.energyWeight = energy
        loss.spectrumWeight = spectrum
        var random = SeededRandom(seed: 1)
        let targets = loss.targets(prepared, random: &random)
        let rgb = (0..<(size * size * 3)).map { i in Float(0.2 + 0.6 * (0.5 + 0.5 * sin(Double(i) * 0.37))) }
        var gradient: [Float]? = []
        _ = loss.evaluate(rgb, targets: targets, gradient: &gradient)
        var agreeing = 0, checked = 0
        for i in stride(from: 0, to: rgb.count, by: 7) {
            var none: [Float]? = nil
            let n = numeric(rgb, i, eps: 1e-4) { v in loss.evaluate(v, targets: targets, gradient: &none).total }
            let a = Double(gradient![i])
            checked += 1
            // Sorting makes the loss piecewise smooth: a step may swap two sorted neighbours, so
            // allow a few values off and require the rest to agree closely.
            if abs(a - n) / max(abs(a), abs(n), 1e-3) < 5e-2 { agreeing += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(agreeing) / Double(checked), 0.9, "\(agreeing) of \(checked) agree", file: file, line: line)
    }
}
