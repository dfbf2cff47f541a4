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

    /// `feature.spectral_centroid`: magnitude-weighted mean frequency; 0 for a silent frame.
    func centroid(_ magnitude: UnsafeBufferPointer<Float>) -> Float {
        var weighted: Double = 0, total: Double = 0
        for k in 0..<magnitude.count {
            weighted += Double(binFrequencies[k]) * Double(magnitude[k])
            total += Double(magnitude[k])
        }
        return total > Double(Float.leastNormalMagnitude) ? Float(weighted / total) : 0
    }

    /// `feature.spectral_rolloff(roll_percent=0.85)`: the lowest bin frequency at which the
    /// cumulative magnitude reaches 85 % of the total (0 Hz for a silent frame, as in librosa).
    func rolloff(_ magnitude: UnsafeBufferPointer<Float>) -> Float {
        var total: Double = 0
        for m in magnitude { total += Double(m) }
        let threshold = Double(rolloffFraction) * total
        var cumulative: Double = 0
        for k in 0..<magnitude.count {
            cumulative += Double(magnitude[k])
            if cumulative >= threshold { return binFrequencies[k] }
        }
        return binFrequencies[magnitude.count - 1]
    }

    /// `feature.spectral_flatness`: geometric over arithmetic mean of the power spectrum.
    /// A silent frame is perfectly flat (1), as in librosa.
    func flatness(_ power: UnsafeBufferPointer<Float>) -> Float {
        var logSum: Double = 0, sum: Double = 0
        for p in power {
            let v = Double(max(flatnessFloor, p))
            logSum += log(v)
            sum += v
        }
        let n = Double(power.count)
        return Float(exp(logSum / n) / (sum / n))
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
