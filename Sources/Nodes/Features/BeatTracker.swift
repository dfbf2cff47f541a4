import Foundation

/// Global tempo, as librosa `feature.tempo` (which `beat.beat_track` calls): the onset envelope's
/// autocorrelation over 8-second Hann windows (the "tempogram"), each window normalised to its
/// zero-lag value, averaged over the track, weighted by a log-normal prior around 120 BPM
/// (σ = 1 octave), and the best lag below 320 BPM converted to BPM.
struct TempoEstimator {
    var startBpm = 120.0
    var stdBpm = 1.0
    var acSize = 8.0
    var maxTempo = 320.0

    /// `frameRate` is onset-envelope frames per second (the video fps). 0 when there is no onset.
    func estimate(onset: [Float], frameRate: Double) -> Double {
        let n = onset.count
        let win = max(2, Int(acSize * frameRate))
        guard n > 0, onset.contains(where: { $0 != 0 }) else { return 0 }
        // Centre the windows: pad win/2 on each side with a linear ramp down to zero (np.pad "linear_ramp").
        let half = win / 2
        var padded = [Float](repeating: 0, count: n + 2 * half)
        for j in 0..<half {
            padded[j] = onset[0] * Float(j) / Float(half)
            padded[half + n + j] = onset[n - 1] * Float(half - 1 - j) / Float(half)
        }
        for i in 0..<n { padded[half + i] = onset[i] }
        let window = (0..<win).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(win))) }
        let ac = Autocorrelator(length: win)
        var frame = [Float](repeating: 0, count: win)
        var lags = [Float](repeating: 0, count: win)
        var mean = [Double](repeating: 0, count: win)
        for t in 0..<n {
            // Frames run off the padded end for the last half window: librosa frames the padded
            // signal and keeps the first n frames, so the final ones see fewer than `win` samples only
            // if the pad is short; here every frame fits (n + 2·half ≥ t + win when win is even).
            for j in 0..<win {
                let idx = t + j
                frame[j] = idx < padded.count ? padded[idx] * window[j] : 0
            }
            frame.withUnsafeBufferPointer { ac.autocorrelate($0, into: &lags) }
            var peak: Float = 0
            for v in lags { peak = max(peak, abs(v)) }
            let scale: Float = peak >= Float.leastNormalMagnitude ? 1 / peak : 1
            for k in 0..<win { mean[k] += Double(lags[k] * scale) }
        }
        var best = -1
        var bestScore = -Double.infinity
        var maxIndex = win  // first lag whose BPM is below maxTempo
        for k in 1..<win where 60 * frameRate / Double(k) < maxTempo {
            maxIndex = k
            break
        }
        for k in maxIndex..<win {
            let bpm = 60 * frameRate / Double(k)
            let prior = -0.5 * pow((log2(bpm) - log2(startBpm)) / stdBpm, 2)
            let score = log1p(1e6 * mean[k] / Double(n)) + prior
            if score > bestScore {
                bestScore = score
                best = k
            }
        }
        return best > 0 ? 60 * frameRate / Double(best) : 0
    }
}

/// Dynamic-programming beat tracker (Ellis 2007), following librosa 0.11's `beat_track`: beats
/// are the path through the onset envelope that maximises onset strength at the beats plus a
/// penalty, −tightness · log²(interval / period), for deviating from the tempo's period.
struct BeatTracker {
    var tightness = 100.0
    var trim = true

    /// Beat frame indices, ascending.
    func track(onset: [Float], bpm: Double, frameRate: Double) -> [Int] {
        let n = onset.count
        guard n > 0, bpm > 0, onset.contains(where: { $0 != 0 }) else { return [] }
        let period = (frameRate * 60 / bpm).rounded(.toNearestOrEven)
        guard period >= 1 else { return [] }
        let localScore = localScore(normalised(onset), period: period)

        // Forward pass: the best predecessor of each frame within [i - 2·period, i - period/2].
        var cumScore = [Float](repeating: 0, count: n)
        var backlink = [Int](repeating: -1, count: n)
        let threshold = 0.01 * (localScore.max() ?? 0)
        var firstBeat = true
        let nearest = Int((period / 2).rounded(.toNearestOrEven))
        let farthest = Int(2 * period)
        let logPeriod = log(period)
        for i in 0..<n {
            var bestScore = -Double.infinity
            var beatLocation = -1
            var loc = i - nearest
            while loc >= i - farthest && loc >= 0 {
                let d = log(Double(i - loc)) - logPeriod
                let score = Double(cumScore[loc]) - tightness * d * d
                if score > bestScore {
                    bestScore = score
                    beatLocation = loc
                }
                loc -= 1
            }
            cumScore[i] = beatLocation >= 0 ? Float(Double(localScore[i]) + bestScore) : localScore[i]
            if firstBeat && localScore[i] < threshold {
                backlink[i] = -1
            } else {
                backlink[i] = beatLocation
                firstBeat = false
            }
        }

        // The last beat: the last local maximum of the cumulative score above half their median.
        var isMax = [Bool](repeating: false, count: n)
        var maxima: [Float] = []
        for i in 0..<n {
            let left = i > 0 ? cumScore[i - 1] : cumScore[i]
            let right = i < n - 1 ? cumScore[i + 1] : cumScore[i]
            if cumScore[i] > left && cumScore[i] >= right {
                isMax[i] = true
                maxima.append(cumScore[i])
            }
        }
        var tail = n - 1
        if !maxima.isEmpty {
            let medianScore = Statistics.median(&maxima)
            let lastThreshold = 0.5 * medianScore
            var j = n - 1
            while j >= 0 {
                if isMax[j] && cumScore[j] >= lastThreshold {
                    tail = j
                    break
                }
                j -= 1
            }
        }
        var beats = [Bool](repeating: false, count: n)
        var j = tail
        while j >= 0 {
            beats[j] = true
            j = backlink[j]
        }
        trimWeak(&beats, localScore: localScore)
        return beats.indices.filter { beats[$0] }
    }

    /// Onsets scaled by their standard deviation (ddof 1), so tightness means the same for every track.
    private func normalised(_ onset: [Float]) -> [Float] {
        let n = onset.count
        guard n > 1 else { return onset }
        var mean: Double = 0
        for v in onset { mean += Double(v) }
        mean /= Double(n)
        var variance: Double = 0
        for v in onset { variance += (Double(v) - mean) * (Double(v) - mean) }
        let std = Float((variance / Double(n - 1)).squareRoot())
        let scale = std + Float.leastNormalMagnitude
        return onset.map { $0 / scale }
    }

    /// Same-mode convolution with a Gaussian of ±period frames (σ = period/32), as librosa's numba
    /// loop writes it (which, like librosa, never reaches the envelope's first sample).
    private func localScore(_ onset: [Float], period: Double) -> [Float] {
        let p = Int(period)
        let window = (-p...p).map { Float(exp(-0.5 * pow(Double($0) * 32 / period, 2))) }
        let k = window.count, n = onset.count
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var sum: Float = 0
            let lo = max(0, i + k / 2 - n + 1), hi = min(i + k / 2, k)
            if lo < hi {
                for j in lo..<hi { sum += window[j] * onset[i + k / 2 - j] }
            }
            out[i] = sum
        }
        return out
    }

    /// Drops beats at the start and end where the local score is below half the RMS of the smoothed
    /// beat strengths (librosa's `trim=True`).
    private func trimWeak(_ beats: inout [Bool], localScore: [Float]) {
        let n = localScore.count
        let strengths = beats.indices.filter { beats[$0] }.map { localScore[$0] }
        var threshold: Float = 0
        if trim && !strengths.isEmpty {
            // np.convolve(strengths, hanning(5)) sliced [2 : n + 2], as librosa does.
            let w: [Float] = [0, 0.5, 1, 0.5, 0]
            let full = strengths.count + w.count - 1
            var conv = [Float](repeating: 0, count: full)
            for i in 0..<strengths.count {
                for j in 0..<w.count { conv[i + j] += strengths[i] * w[j] }
            }
            let slice = conv[2..<min(full, n + 2)]
            var sumSquares: Float = 0
            for v in slice { sumSquares += v * v }
            threshold = 0.5 * (sumSquares / Float(max(1, slice.count))).squareRoot()
        }
        var i = 0
        while i < n && localScore[i] <= threshold {
            beats[i] = false
            i += 1
        }
        i = n - 1
        while i >= 0 && localScore[i] <= threshold {
            beats[i] = false
            i -= 1
        }
    }
}
