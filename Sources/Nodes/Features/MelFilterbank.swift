import Foundation

/// Mel filterbank identical to librosa's `filters.mel` defaults: Slaney mel scale (linear below
/// 1 kHz, logarithmic above), fmin 0, fmax sr/2, triangles normalised to equal area ("slaney" norm).
/// Stored sparsely: each band only touches the bins under its triangle.
struct MelFilterbank {
    struct Band {
        var firstBin: Int
        var weights: [Float]
    }

    /// Eight neighbouring bands over the union of their bins: `weights[8·j + b]` is band b's weight
    /// of bin `firstBin + j`, zero outside its triangle.
    struct Group {
        var firstBin: Int
        var binCount: Int
        var weights: [Float]
    }

    let bands: [Band]
    var count: Int { bands.count }
    let groups: [Group]

    init(sampleRate: Int, nFft: Int, bands count: Int) {
        let bins = nFft / 2 + 1
        let fftFreqs = VideoRateSTFT.binFrequencies(sampleRate: sampleRate, nFft: nFft)
        let melMax = MelFilterbank.hzToMel(Double(sampleRate) / 2)
        let melPoints = (0..<(count + 2)).map { MelFilterbank.melToHz(melMax * Double($0) / Double(count + 1)) }
        var result: [Band] = []
        for m in 0..<count {
            let lowerDiff = melPoints[m + 1] - melPoints[m]
            let upperDiff = melPoints[m + 2] - melPoints[m + 1]
            let enorm = 2.0 / (melPoints[m + 2] - melPoints[m])
            var weights = [Float](repeating: 0, count: bins)
            for k in 0..<bins {
                let lower = (fftFreqs[k] - melPoints[m]) / lowerDiff
                let upper = (melPoints[m + 2] - fftFreqs[k]) / upperDiff
                // librosa builds the weights in float32 and applies the norm in float32.
                weights[k] = Float(max(0, min(lower, upper))) * Float(enorm)
            }
            let first = weights.firstIndex { $0 > 0 } ?? 0
            let last = weights.lastIndex { $0 > 0 } ?? -1
            result.append(Band(firstBin: first, weights: last >= first ? Array(weights[first...last]) : []))
        }
        bands = result
        groups = Swift.stride(from: 0, to: count, by: 8).map { first in
            let members = result[first..<min(count, first + 8)].filter { !$0.weights.isEmpty }
            let lo = members.map(\.firstBin).min() ?? 0
            let hi = members.map { $0.firstBin + $0.weights.count }.max() ?? 0
            var weights = [Float](repeating: 0, count: 8 * max(0, hi - lo))
            for b in 0..<min(8, count - first) {
                let band = result[first + b]
                for (j, w) in band.weights.enumerated() { weights[8 * (band.firstBin - lo + j) + b] = w }
            }
            return Group(firstBin: lo, binCount: max(0, hi - lo), weights: weights)
        }
    }

    /// Band energies of a power spectrum.
    ///
    /// Eight bands at a time, one vector lane each, so the additions of different bands overlap
    /// instead of each band waiting on its own chain. Each band still adds its terms in bin order,
    /// the bins outside its triangle adding exact zeros (power is finite and ≥ 0), so the sums are
    /// the same bits as one band after another.
    func apply(_ power: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let p = power.baseAddress!
        for (g, group) in groups.enumerated() {
            var sum = SIMD8<Float>(repeating: 0)
            group.weights.withUnsafeBytes { raw in
                let w = raw.baseAddress!
                for j in 0..<group.binCount {
                    sum += w.loadUnaligned(fromByteOffset: 32 * j, as: SIMD8<Float>.self) * SIMD8(repeating: p[group.firstBin + j])
                }
            }
            for b in 0..<min(8, count - 8 * g) { out[8 * g + b] = sum[b] }
        }
    }

    // Slaney's Auditory Toolbox mel scale (librosa `hz_to_mel(htk=False)`).
    private static let fSp = 200.0 / 3
    private static let minLogHz = 1000.0
    private static let minLogMel = minLogHz / fSp
    private static let logStep = log(6.4) / 27

    static func hzToMel(_ f: Double) -> Double {
        f >= minLogHz ? minLogMel + log(f / minLogHz) / logStep : f / fSp
    }

    static func melToHz(_ m: Double) -> Double {
        m >= minLogMel ? minLogHz * exp(logStep * (m - minLogMel)) : fSp * m
    }
}
