import CLookKernels
import Foundation
import XCTest
@testable import Nodes

/// The C activation kernels (every path: SSE2, AVX2, AVX-512) against the scalar Swift definitions in
/// `FastMath`, bit for bit, on awkward widths (vector tails) and awkward values.
final class LookKernelTests: XCTestCase {
    /// Values across the ranges the CPPN sees, plus the edges: zeros, huge, NaN, infinities.
    func inputs(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed, stream: 77)
        let specials: [Float] = [0, -0, .nan, .infinity, -.infinity, 1e7, -1e7, 9, -9, 88, -88, 200, -200, .pi / 2, 1e-30]
        return (0..<n).map { i in i % 11 == 5 ? specials[(i / 11) % specials.count] : rng.nextGaussian() * (i % 3 == 0 ? 20 : 3) }
    }

    func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    func testElementwiseKernelsMatchSwiftBitForBitOnSSE2() throws { try KernelPath.sse2.run(checkElementwiseKernels) }
    func testElementwiseKernelsMatchSwiftBitForBitOnAVX2() throws { try KernelPath.avx2.run(checkElementwiseKernels) }
    func testElementwiseKernelsMatchSwiftBitForBitOnAVX512() throws { try KernelPath.avx512.run(checkElementwiseKernels) }

    func checkElementwiseKernels() {
        for width in [1, 3, 5, 8, 13, 32, 37] {
            let rows = 7
            let x = inputs(rows * width, seed: UInt64(width))
            let bias = inputs(width, seed: 99)
            let kernels: [(String, (UnsafeMutablePointer<Float>, Int, UnsafePointer<Float>?, Int) -> Void,
                           (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void)] = [
                ("sin", { look_sin($0, $1, $2, $3) }, { FastMath.sin($0, $1, $2) }),
                ("gaussian", { look_gaussian($0, $1, $2, $3) }, { FastMath.gaussian($0, $1, $2) }),
                ("tanh", { look_tanh($0, $1, $2, $3) }, { FastMath.tanh($0, $1, $2) }),
            ]
            for (name, c, swift) in kernels {
                var fast = x, reference = x
                bias.withUnsafeBufferPointer { b in
                    fast.withUnsafeMutableBufferPointer { c($0.baseAddress!, rows, b.baseAddress!, width) }
                    reference.withUnsafeMutableBufferPointer { r in
                        for p in 0..<rows { swift(r.baseAddress! + p * width, b.baseAddress!, width) }
                    }
                }
                XCTAssertEqual(bits(fast), bits(reference), "\(name) width \(width)")
                // Without a bias pointer the kernels read x as already biased (a contiguous block).
                var prebiased = x.enumerated().map { $0.element + bias[$0.offset % width] }
                prebiased.withUnsafeMutableBufferPointer { c($0.baseAddress!, rows, nil, width) }
                XCTAssertEqual(bits(prebiased), bits(reference), "\(name) pre-biased width \(width)")
            }
        }
    }

    /// look_cppn_frame on a one-layer network (the first layer straight into the output layer)
    /// at the given interleaved (x, y, r) coordinates.
    func firstLayerFrame(coordinates xyr: [Float], hidden: Int, first: [Float], firstBias: [Float],
                         outWeight: [Float], outBias: [Float]) -> (bytes: [UInt8], values: [Float]) {
        let pixels = xyr.count / 3, tile = Int(LOOK_CPPN_TILE)
        let stride = (pixels + tile - 1) / tile * tile
        var planes = [Float](repeating: 0, count: 3 * stride)
        for p in 0..<pixels { for axis in 0..<3 { planes[axis * stride + p] = xyr[p * 3 + axis] } }
        var rgb = [UInt8](repeating: 0, count: pixels * 3)
        var values = [Float](repeating: .nan, count: pixels * 3)
        var scratch = [Float](repeating: 0, count: (2 * hidden + 3) * tile)
        first.withUnsafeBufferPointer { fw in
            firstBias.withUnsafeBufferPointer { fb in
                outWeight.withUnsafeBufferPointer { ow in
                    outBias.withUnsafeBufferPointer { ob in
                        var net = look_cppn_net(hidden: hidden, layers: 1, first_weights: fw.baseAddress, first_bias: fb.baseAddress,
                                                weights: nil, biases: nil, activations: nil,
                                                out_weight: ow.baseAddress, out_bias: ob.baseAddress, out_values: nil)
                        values.withUnsafeMutableBufferPointer { v in
                            net.out_values = v.baseAddress
                            look_cppn_frame(&net, planes, stride, pixels, &rgb, &scratch)
                        }
                    }
                }
            }
        }
        return (rgb, values)
    }

    func testFirstLayerAndOutputMatchSwiftBitForBitOnSSE2() throws { try KernelPath.sse2.run(checkFirstLayerAndOutput) }
    func testFirstLayerAndOutputMatchSwiftBitForBitOnAVX2() throws { try KernelPath.avx2.run(checkFirstLayerAndOutput) }
    func testFirstLayerAndOutputMatchSwiftBitForBitOnAVX512() throws { try KernelPath.avx512.run(checkFirstLayerAndOutput) }

    func checkFirstLayerAndOutput() {
        // First layer: each channel routed to an output by a weight of 1 (the others 0), so
        // every channel's value is checked, as a float and as a byte.
        for width in [1, 5, 8, 13, 32] {
            let rows = 9
            let coords = inputs(rows * 3, seed: 3).map { $0.isFinite ? Swift.min(Swift.max($0, -4), 4) : 1 }
            let weights = inputs(3 * width, seed: 4), bias = inputs(width, seed: 5)
            var reference = [Float](repeating: 0, count: rows * width)
            FastMath.sinAffine(&reference, coordinates: coords, rows: rows, weights: weights, bias: bias, width: width)
            for group in stride(from: 0, to: width, by: 3) {
                let picked = (0..<3).map { Swift.min(group + $0, width - 1) }
                var outWeight = [Float](repeating: 0, count: width * 3)
                for (ch, k) in picked.enumerated() { outWeight[k * 3 + ch] = 1 }
                let fast = firstLayerFrame(coordinates: coords, hidden: width, first: weights, firstBias: bias,
                                           outWeight: outWeight, outBias: [0, 0, 0])
                // The output layer as the kernel computes it: 0, then one FMA per k.
                let routed: [Float] = (0..<rows).flatMap { p in
                    (0..<3).map { ch in
                        (0..<width).reduce(Float(0)) { $0.addingProduct(outWeight[$1 * 3 + ch], reference[p * width + $1]) }
                    }
                }
                var expected = [UInt8](repeating: 0, count: rows * 3)
                FastMath.sigmoidBytes(routed, count: rows * 3, into: &expected)
                XCTAssertEqual(fast.values.map(\.bitPattern), routed.map(\.bitPattern), "first layer width \(width) channels \(picked)")
                XCTAssertEqual(fast.bytes, expected, "first layer bytes width \(width) channels \(picked)")
            }
        }
        // Output bytes on awkward values (NaN, ±∞, huge): the output bias carries them through
        // zero weights, one pixel per triple.
        for pixels in [1, 2, 3, 7, 8, 11, 40] {
            let v = inputs(pixels * 3, seed: UInt64(pixels))
            var fast: [UInt8] = [], reference = [UInt8](repeating: 0, count: pixels * 3)
            for p in 0..<pixels {
                fast += firstLayerFrame(coordinates: [0.5, -0.25, 0.56], hidden: 1, first: [1, 1, 1], firstBias: [0],
                                        outWeight: [0, 0, 0], outBias: Array(v[(p * 3)..<(p * 3 + 3)])).bytes
            }
            FastMath.sigmoidBytes(v, count: pixels * 3, into: &reference)
            XCTAssertEqual(fast, reference, "sigmoid bytes \(pixels) pixels")
        }
    }
}
