import COpenBLAS
import Foundation

/// `feature.chroma_stft` defaults: a 12 × bins filterbank of Gaussian bumps around each pitch class
/// (librosa `filters.chroma`: ctroct 5, octwidth 2, L2-normalised columns, rows starting at C),
/// applied to the power spectrum, each frame then scaled so its largest class is 1.
struct ChromaFilterbank {
    static let classes = 12
    /// Row-major 12 × bins.
    private let weights: [Float]
    let bins: Int

    /// `tuning` is the deviation from A440 in fractions of a semitone (see `TuningEstimator`).
    init(sampleRate: Int, nFft: Int, tuning: Double) {
        let nChroma = ChromaFilterbank.classes
        let n = Double(nChroma)
        let a440 = 440.0 * pow(2.0, tuning / n)
        // Bin frequencies over the full FFT length (librosa builds n_fft columns, then drops the
        // aliased upper half); bin 0 gets a made-up position 1.5 octaves below bin 1.
        var frqbins = [Double](repeating: 0, count: nFft)
        for k in 1..<nFft {
            let f = Double(k) * Double(sampleRate) / Double(nFft)
            frqbins[k] = n * log2(f / (a440 / 16))
        }
        frqbins[0] = frqbins[1] - 1.5 * n
        var binWidth = [Double](repeating: 1, count: nFft)
        for k in 0..<(nFft - 1) { binWidth[k] = max(frqbins[k + 1] - frqbins[k], 1) }
        let half = (n / 2).rounded()
        let keep = nFft / 2 + 1
        var w = [Double](repeating: 0, count: nChroma * keep)
        for k in 0..<keep {
            var column = [Double](repeating: 0, count: nChroma)
            var norm = 0.0
            for c in 0..<nChroma {
                let raw = frqbins[k] - Double(c) + half + 10 * n
                let d = raw - (raw / n).rounded(.down) * n - half
                let v = exp(-0.5 * pow(2 * d / binWidth[k], 2))
                column[c] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            let octaveWeight = exp(-0.5 * pow((frqbins[k] / n - 5.0) / 2.0, 2))
            for c in 0..<nChroma {
                // Rows start at C: librosa rolls the A-based rows by -3.
                let row = (c - 3 + nChroma) % nChroma
                w[row * keep + k] = (norm > 0 ? column[c] / norm : 0) * octaveWeight
            }
        }
        weights = w.map(Float.init)
        openblas_set_num_threads(1)
        bins = keep
    }

    /// Chroma of one power spectrum, normalised to max 1 (all zero for silence).
    /// The filters are dense (Gaussians over every bin), so this is a 12 × bins matrix–vector
    /// product: OpenBLAS's vectorised sgemv, single-threaded like all BLAS use here (the build's
    /// `-j` workers are the parallelism; BLAS threads on top would oversubscribe the cores).
    func apply(_ power: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(ChromaFilterbank.classes), Int32(bins),
                        1, w.baseAddress, Int32(bins), power.baseAddress, 1, 0, out, 1)
        }
        var peak: Float = 0
        for c in 0..<ChromaFilterbank.classes { peak = max(peak, abs(out[c])) }
        let scale: Float = peak >= Float.leastNormalMagnitude ? 1 / peak : 1
        for c in 0..<ChromaFilterbank.classes { out[c] *= scale }
    }
}

/// librosa `estimate_tuning` (as called by `chroma_stft`): spectral peaks between 150 Hz and 4 kHz
/// (`piptrack` with parabolic interpolation), the stronger half of them (magnitude ≥ the median),
/// and a histogram of their deviation from the equal-tempered grid in 1/100 semitone.
///
/// The median is over the whole track, so instead of storing every peak the estimator keeps a 2-D
/// histogram (log-magnitude × deviation): bounded memory, and the median is exact up to one
/// log-magnitude bin of 1/32 octave.
struct TuningEstimator {
    private static let resolution = 0.01
    private static let deviationBins = 100
    private static let magBinsPerOctave = 32.0
    private static let magMinLog2 = -100.0
    private static let magBins = 160 * 32

    private let sampleRate: Int
    private let nFft: Int
    private let lowBin: Int
    private let highBin: Int
    private var counts: [Int32]
    private var shift: [Float]
    private var thresholded: [Float]

    init(sampleRate: Int, nFft: Int) {
        self.sampleRate = sampleRate
        self.nFft = nFft
        let fmin = 150.0, fmax = min(4000.0, Double(sampleRate) / 2)
        let freqs = VideoRateSTFT.binFrequencies(sampleRate: sampleRate, nFft: nFft)
        lowBin = freqs.firstIndex { $0 >= fmin } ?? freqs.count
        highBin = (freqs.lastIndex { $0 < fmax } ?? -1) + 1
        counts = [Int32](repeating: 0, count: TuningEstimator.magBins * TuningEstimator.deviationBins)
        shift = [Float](repeating: 0, count: nFft / 2 + 1)
        thresholded = [Float](repeating: 0, count: nFft / 2 + 1)
    }

    /// `spectrum` is what `chroma_stft` hands to `piptrack`: the power spectrum.
    mutating func push(_ spectrum: UnsafeBufferPointer<Float>) {
        let n = spectrum.count
        guard n >= 3, lowBin < highBin else { return }
        // Four running maxima (max is exact in any order), so the loop is not one long chain.
        var peaks: (Float, Float, Float, Float) = (0, 0, 0, 0)
        var k = 0
        while k + 4 <= n {
            peaks.0 = max(peaks.0, spectrum[k]); peaks.1 = max(peaks.1, spectrum[k + 1])
            peaks.2 = max(peaks.2, spectrum[k + 2]); peaks.3 = max(peaks.3, spectrum[k + 3])
            k += 4
        }
        while k < n { peaks.0 = max(peaks.0, spectrum[k]); k += 1 }
        let peak = max(max(peaks.0, peaks.1), max(peaks.2, peaks.3))
        let ref = 0.1 * peak
        // Only the bins the peak search below reads: lowBin - 1 ... highBin.
        for k in max(0, lowBin - 1)..<min(n, highBin + 1) { thresholded[k] = spectrum[k] > ref ? spectrum[k] : 0 }
        for k in lowBin..<min(highBin, n) {
            // util.localmax with edge padding: strictly above the left neighbour, not below the right.
            let x = thresholded[k]
            let left = k > 0 ? thresholded[k - 1] : x
            let right = k < n - 1 ? thresholded[k + 1] : x
            guard x > left && x >= right else { continue }
            // Parabolic interpolation around the peak (0 at the edges or when it would leave the bin).
            var s: Float = 0
            if k > 0 && k < n - 1 {
                let a = spectrum[k + 1] + spectrum[k - 1] - 2 * spectrum[k]
                let b = (spectrum[k + 1] - spectrum[k - 1]) / 2
                s = abs(b) >= abs(a) ? 0 : -b / a
            }
            let gradient: Float = k == 0 ? spectrum[1] - spectrum[0]
                : k == n - 1 ? spectrum[k] - spectrum[k - 1]
                : (spectrum[k + 1] - spectrum[k - 1]) / 2
            let mag = spectrum[k] + 0.5 * gradient * s
            let pitch = (Double(k) + Double(s)) * Double(sampleRate) / Double(nFft)
            guard pitch > 0 else { continue }
            var residual = (12 * log2(pitch / (440.0 / 16))).truncatingRemainder(dividingBy: 1)
            if residual < 0 { residual += 1 }
            if residual >= 0.5 { residual -= 1 }
            let devBin = min(TuningEstimator.deviationBins - 1, max(0, Int(((residual + 0.5) / TuningEstimator.resolution).rounded(.down))))
            let magBin: Int
            if mag > 0 {
                let l = (log2(Double(mag)) - TuningEstimator.magMinLog2) * TuningEstimator.magBinsPerOctave
                magBin = min(TuningEstimator.magBins - 1, max(0, Int(l.rounded(.down))))
            } else {
                magBin = 0
            }
            counts[magBin * TuningEstimator.deviationBins + devBin] += 1
        }
    }

    /// Tuning deviation in fractions of a semitone, in [-0.5, 0.5); 0 when no peak was found.
    func estimate() -> Double {
        let d = TuningEstimator.deviationBins
        var perMag = [Int](repeating: 0, count: TuningEstimator.magBins)
        var total = 0
        for m in 0..<TuningEstimator.magBins {
            var s = 0
            for j in 0..<d { s += Int(counts[m * d + j]) }
            perMag[m] = s
            total += s
        }
        guard total > 0 else { return 0 }
        // The log-magnitude bin that holds the median peak.
        let rank = (total - 1) / 2
        var seen = 0, medianBin = 0
        for m in 0..<TuningEstimator.magBins {
            seen += perMag[m]
            if seen > rank { medianBin = m; break }
        }
        var histogram = [Int](repeating: 0, count: d)
        for m in medianBin..<TuningEstimator.magBins {
            for j in 0..<d { histogram[j] += Int(counts[m * d + j]) }
        }
        var best = 0
        for j in 1..<d where histogram[j] > histogram[best] { best = j }
        return -0.5 + Double(best) * TuningEstimator.resolution
    }
}
