import CFeatureKernels
import Foundation
import XCTest
@testable import Nodes

/// The streaming HPSS (median networks, ring buffer) against a brute-force median filter over the
/// whole spectrogram with scipy's "reflect" edges; the median networks against sorting.
final class FeaturesHPSSTests: XCTestCase {
    func bruteForce(_ spec: [[Float]], kernel: Int, nFft: Int) -> [(Float, Float)] {
        let n = spec.count, bins = spec[0].count, half = kernel / 2
        func median(_ v: [Float]) -> Float { v.sorted()[v.count / 2] }
        return (0..<n).map { t in
            var hParts = [Float](repeating: 0, count: bins), pParts = hParts
            for k in 0..<bins {
                let h = median((0..<kernel).map { spec[HPSSStream.reflect(t - half + $0, n)][k] })
                let p = median((0..<kernel).map { spec[t][HPSSStream.reflect(k - half + $0, bins)] })
                let z = max(h, p)
                if z > 0 {
                    let a = h / z, b = p / z
                    hParts[k] = spec[t][k] * a * a / (a * a + b * b)
                    pParts[k] = spec[t][k] * b * b / (a * a + b * b)
                }
            }
            return (hParts.withUnsafeBufferPointer { SpectralDescriptors.spectralRMS($0, nFft: nFft) },
                    pParts.withUnsafeBufferPointer { SpectralDescriptors.spectralRMS($0, nFft: nFft) })
        }
    }

    func testStreamingMatchesBruteForce() {
        var state: UInt32 = 7
        func random() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24)
        }
        for (frames, nFft) in [(1, 64), (3, 16), (16, 64), (17, 32), (18, 64), (40, 128)] {
            let bins = nFft / 2 + 1
            // Quantised values so ties (equal magnitudes) are exercised too.
            let spec = (0..<frames).map { _ in (0..<bins).map { _ in (random() * 8).rounded() / 8 } }
            let expected = bruteForce(spec, kernel: HPSSStream.defaultKernel, nFft: nFft)
            for group in [1, 2, 3, HPSSStream.defaultGroup, 5] {
                let hpss = HPSSStream(bins: bins, nFft: nFft, frameCount: frames, group: group)
                var streamed: [(Float, Float)] = []
                for row in spec { streamed += row.withUnsafeBufferPointer { hpss.push($0) } }
                XCTAssertEqual(streamed.count, frames)
                for (s, e) in zip(streamed, expected) {
                    XCTAssertEqual(s.0, e.0, accuracy: 1e-5, "frames \(frames), n_fft \(nFft), group \(group)")
                    XCTAssertEqual(s.1, e.1, accuracy: 1e-5, "frames \(frames), n_fft \(nFft), group \(group)")
                }
            }
        }
    }

    /// Every (kernel, group) network picks exactly the sorted middle of each window, on both the
    /// AVX2 and the baseline path, ties included.
    func testMedianNetworksMatchSorting() {
        var state: UInt32 = 11
        func random() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return (Float(state >> 8) / Float(1 << 24) * 6).rounded()
        }
        let lanes = 16
        defer { fk_force_baseline(0) }
        for kernel in [1, 3, 5, 9, 17, 31] {
            for group in 1...min(kernel, 8) {
                let network = MedianNetwork(kernel: kernel, group: group)
                let values = (0..<(network.inputCount * lanes)).map { _ in random() }
                var results: [[Float]] = []
                for baseline in [0, 1] {
                    fk_force_baseline(Int32(baseline))
                    let slots = UnsafeMutablePointer<Float>.allocate(capacity: max(1, network.slotCount) * lanes)
                    defer { slots.deallocate() }
                    var medians: [Float] = []
                    values.withUnsafeBufferPointer { v in
                        var rows = (0..<network.inputCount).map { Optional(v.baseAddress! + $0 * lanes) }
                        rows.withUnsafeMutableBufferPointer { r in
                            network.apply(rows: r.baseAddress!, slots: slots, lanes: lanes)
                            for j in 0..<group {
                                medians += UnsafeBufferPointer(start: network.median(j, rows: r.baseAddress!, slots: slots, lanes: lanes), count: lanes)
                            }
                        }
                    }
                    results.append(medians)
                }
                XCTAssertEqual(results[0], results[1], "kernel \(kernel), group \(group): AVX2 and baseline differ")
                for j in 0..<group {
                    for l in 0..<lanes {
                        let window = (j..<(j + kernel)).map { values[$0 * lanes + l] }.sorted()
                        XCTAssertEqual(results[0][j * lanes + l], window[kernel / 2], "kernel \(kernel), group \(group), window \(j)")
                    }
                }
            }
        }
    }
}
