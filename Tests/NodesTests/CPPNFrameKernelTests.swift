import CLookKernels
import Foundation
import XCTest
@testable import Nodes

/// The fused frame kernel (look_cppn_frame, every path) against the network written out pixel
/// by pixel in Swift: FastMath's activations and one fused multiply-add per weight, bias first
/// and k ascending. Bit for bit, on sizes that leave partial tiles and partial channel blocks.
final class CPPNFrameKernelTests: XCTestCase {
    /// The frame's bytes, and the output layer's values before the sigmoid (pixels × 3).
    func reference(_ cppn: CPPN, latent: ArraySlice<Float>, width: Int, height: Int, zoom: Float, rotation: Float)
        -> (bytes: [UInt8], values: [Float]) {
        let h = cppn.hidden, w = cppn.weights
        let (first, firstBias) = cppn.firstLayer(latent: latent, zoom: zoom, rotation: rotation)
        let planes = CoordinateCache.make(width: width, height: height)
        let minusZero = [Float](repeating: -0.0, count: h)  // x + -0 == x for every x, -0 included
        var out: [UInt8] = [], values: [Float] = []
        for p in 0..<(width * height) {
            let xyr = [planes.values[p], planes.values[planes.stride + p], planes.values[2 * planes.stride + p]]
            var a = [Float](repeating: 0, count: h)
            FastMath.sinAffine(&a, coordinates: xyr, rows: 1, weights: first, bias: firstBias, width: h)
            for layer in 1..<cppn.layers {
                var next = Array(cppn.network.biases[(layer - 1) * h..<layer * h])
                for c in 0..<h {
                    for k in 0..<h { next[c] = next[c].addingProduct(w.weights[layer][k * h + c], a[k]) }
                }
                switch Activation.cycle[layer % Activation.cycle.count] {
                case .sin, .cos: FastMath.sin(&next, minusZero, h)
                case .gaussian: FastMath.gaussian(&next, minusZero, h)
                case .tanh: FastMath.tanh(&next, minusZero, h)
                }
                a = next
            }
            var o = w.outBias
            for c in 0..<3 {
                for k in 0..<h { o[c] = o[c].addingProduct(w.outWeight[k * 3 + c], a[k]) }
            }
            var bytes = [UInt8](repeating: 0, count: 3)
            FastMath.sigmoidBytes(o, count: 3, into: &bytes)
            out += bytes
            values += o
        }
        return (out, values)
    }

    /// The kernel's output-layer values before the sigmoid, through the same layout `render` uses.
    func kernelValues(_ cppn: CPPN, latent: ArraySlice<Float>, width: Int, height: Int, zoom: Float, rotation: Float) -> [Float] {
        let (first, firstBias) = cppn.firstLayer(latent: latent, zoom: zoom, rotation: rotation)
        let planes = CoordinateCache.make(width: width, height: height)
        var values = [Float](repeating: .nan, count: width * height * 3)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var scratch = [Float](repeating: 0, count: (2 * cppn.hidden + 3) * Int(LOOK_CPPN_TILE))
        values.withUnsafeMutableBufferPointer { v in
            var layout = cppn.network.layout(firstWeights: first, firstBias: firstBias)
            layout.out_values = v.baseAddress
            look_cppn_frame(&layout, planes.values, planes.stride, width * height, &rgb, &scratch)
        }
        return values
    }

    func testFrameKernelMatchesThePixelByPixelNetworkOnSSE2() throws { try KernelPath.sse2.run(checkFrameKernel) }
    func testFrameKernelMatchesThePixelByPixelNetworkOnAVX2() throws { try KernelPath.avx2.run(checkFrameKernel) }
    func testFrameKernelMatchesThePixelByPixelNetworkOnAVX512() throws { try KernelPath.avx512.run(checkFrameKernel) }

    func checkFrameKernel() throws {
        // hidden 32: full 4-channel blocks; 13 and 7: the 3- and 1-channel remainders; 6 layers use every activation.
        let cases: [(hidden: Int, layers: Int, width: Int, height: Int)] = [
            (32, 4, 41, 23), (13, 6, 17, 5), (7, 3, 50, 1), (5, 1, 9, 9), (3, 2, 1, 1),
        ]
        let latent = ArraySlice(Controller.seededAnchors(count: 1, dim: 8, seed: 4)[0])
        for c in cases {
            var config = GeneratorConfig()
            config.hidden = c.hidden
            config.layers = c.layers
            config.seed = 77
            let cppn = try CPPN(config: config, latentDim: 8)
            let expected = reference(cppn, latent: latent, width: c.width, height: c.height, zoom: 1.4, rotation: -0.3)
            let name = "hidden \(c.hidden) layers \(c.layers) \(c.width)x\(c.height)"
            let image = cppn.render(latent: latent, width: c.width, height: c.height, zoom: 1.4, rotation: -0.3)
            XCTAssertEqual(image.pixels, expected.bytes, name)
            // Bytes hide most one-ulp differences; the floats before the sigmoid do not.
            let values = kernelValues(cppn, latent: latent, width: c.width, height: c.height, zoom: 1.4, rotation: -0.3)
            XCTAssertEqual(values.map(\.bitPattern), expected.values.map(\.bitPattern), name)
        }
    }
}
