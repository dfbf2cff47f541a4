import Foundation

/// Mel filterbank identical to librosa's `filters.mel` defaults: Slaney mel scale (linear below
/// 1 kHz, logarithmic above), fmin 0, fmax sr/2, triangles normalised to equal area ("slaney" norm).
/// Stored sparsely: each band only touches the bins under its triangle.
struct MelFilterbank {
    struct Band {
        var firstBin: Int
        var weights: [Float]
    }

    let bands: [Band]
    var count: Int { bands.count }

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
    }

    /// Band energies of a power spectrum.
    func apply(_ power: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for (m, band) in bands.enumerated() {
            var sum: Float = 0
            band.weights.withUnsafeBufferPointer { w in
                for j in 0..<w.count { sum += w[j] * power[band.firstBin + j] }
            }
            out[m] = sum
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
