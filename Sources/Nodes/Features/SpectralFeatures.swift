import Foundation

/// Per-frame scalar descriptors, each defined as in librosa so users see familiar numbers.
struct SpectralDescriptors {
    let binFrequencies: [Float]
    let rolloffFraction: Float = 0.85
    /// librosa's `amin` for spectral flatness: keeps log() finite on silent bins.
    let flatnessFloor: Float = 1e-10

    init(sampleRate: Int, nFft: Int) {
        binFrequencies = VideoRateSTFT.binFrequencies(sampleRate: sampleRate, nFft: nFft).map(Float.init)
    }

    /// `feature.rms(y)`: root mean square of the raw (unwindowed) frame.
    func rms(_ samples: UnsafeBufferPointer<Float>) -> Float {
        var sum: Double = 0
        for x in samples { sum += Double(x) * Double(x) }
        return Float((sum / Double(max(1, samples.count))).squareRoot())
    }

    /// `feature.spectral_centroid` (magnitude-weighted mean frequency; 0 for a silent frame) and
    /// `feature.spectral_rolloff(roll_percent=0.85)` (the lowest bin frequency at which the
    /// cumulative magnitude reaches 85 % of the total; 0 Hz for a silent frame, as in librosa).
    ///
    /// One pass: the running sum is both the centroid's total and the roll-off's cumulative
    /// magnitude, so it is kept per bin and the roll-off bin found by bisection (it never decreases).
    func centroidAndRolloff(_ magnitude: UnsafeBufferPointer<Float>) -> (centroid: Float, rolloff: Float) {
        let n = magnitude.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { cumulative in
            binFrequencies.withUnsafeBufferPointer { frequencies in
                var weighted: Double = 0, total: Double = 0
                for k in 0..<n {
                    weighted += Double(frequencies[k]) * Double(magnitude[k])
                    total += Double(magnitude[k])
                    cumulative[k] = total
                }
                let centroid = total > Double(Float.leastNormalMagnitude) ? Float(weighted / total) : 0
                // The first bin whose cumulative magnitude reaches the threshold (the last if none).
                let threshold = Double(rolloffFraction) * total
                var lo = 0, hi = n - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] >= threshold { hi = mid } else { lo = mid + 1 }
                }
                return (centroid, frequencies[lo])
            }
        }
    }

    /// `feature.spectral_flatness`: geometric over arithmetic mean of the power spectrum.
    /// A silent frame is perfectly flat (1), as in librosa.
    ///
    /// The sum of logs is taken as ln 2 · Σ exponents + log Π mantissas (each in [1, 2), multiplied
    /// in Double and renormalised every 256 values): a few log calls per frame instead of one per
    /// bin, which was a tenth of the extraction. Same sum up to Double rounding (~1e-13 relative).
    func flatness(_ power: UnsafeBufferPointer<Float>) -> Float {
        let n = power.count
        var sum: Double = 0
        var exponents = 0
        var products: (Double, Double, Double, Double) = (1, 1, 1, 1)
        @inline(__always) func split(_ p: Float) -> (mantissa: Double, exponent: Int) {
            // flatnessFloor is normal and power is finite, so v is a positive normal float.
            let v = max(flatnessFloor, p)
            let bits = v.bitPattern
            return (Double(Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)), Int(bits >> 23) - 127)
        }
        var k = 0
        while k < n {
            // At most 64 factors below 2 per product: well inside Double's range.
            let end = min(n, k + 256)
            while k + 4 <= end {
                let a = split(power[k]), b = split(power[k + 1]), c = split(power[k + 2]), d = split(power[k + 3])
                products.0 *= a.mantissa; products.1 *= b.mantissa; products.2 *= c.mantissa; products.3 *= d.mantissa
                exponents += a.exponent + b.exponent + c.exponent + d.exponent
                sum += Double(max(flatnessFloor, power[k])); sum += Double(max(flatnessFloor, power[k + 1]))
                sum += Double(max(flatnessFloor, power[k + 2])); sum += Double(max(flatnessFloor, power[k + 3]))
                k += 4
            }
            while k < end {
                let a = split(power[k])
                products.0 *= a.mantissa
                exponents += a.exponent
                sum += Double(max(flatnessFloor, power[k]))
                k += 1
            }
            for j in 0..<4 {
                var p: Double
                switch j { case 0: p = products.0; case 1: p = products.1; case 2: p = products.2; default: p = products.3 }
                exponents += Int(p.exponent)
                p = p.significand
                switch j { case 0: products.0 = p; case 1: products.1 = p; case 2: products.2 = p; default: products.3 = p }
            }
        }
        let logSum = Double(exponents) * M_LN2 + log(products.0 * products.1 * products.2 * products.3)
        let count = Double(n)
        return Float(exp(logSum / count) / (sum / count))
    }

    /// `feature.rms(S=...)` on a magnitude spectrum: Parseval's energy of a frame of length n_fft,
    /// counting the DC and Nyquist bins once. Used for the harmonic and percussive parts.
    static func spectralRMS(_ magnitude: UnsafeBufferPointer<Float>, nFft: Int) -> Float {
        var sum: Double = 0
        for m in magnitude { sum += Double(m) * Double(m) }
        let first = Double(magnitude[0]), last = Double(magnitude[magnitude.count - 1])
        sum = 2 * sum - first * first - (nFft % 2 == 0 ? last * last : 0)
        return Float((max(0, sum) / Double(nFft * nFft)).squareRoot())
    }
}
