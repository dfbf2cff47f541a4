import Foundation

/// Harmonic/percussive separation by median filtering (Fitzgerald 2010, librosa `decompose.hpss`):
/// harmonic sounds are steady in time (horizontal lines in the spectrogram), percussive ones are
/// broadband (vertical lines). A median across frames keeps the former, a median across bins the
/// latter; soft (Wiener, power 2) masks then split each magnitude between the two.
///
/// Streaming: the time median needs `kernel / 2` frames of look-ahead, so frames are kept in a ring
/// of `kernel` spectra and frame `t` is emitted once frame `t + kernel / 2` has arrived (or at the
/// end). Edges are mirrored like scipy's `median_filter(mode="reflect")`.
struct HPSSStream {
    static let defaultKernel = 17

    let kernel: Int
    let bins: Int
    let nFft: Int
    let frameCount: Int
    private var ring: [Float]
    private var received = 0
    private var emitted = 0
    private var column: [Float]
    private var harmonicMedian: [Float]
    private var percussiveMedian: [Float]
    private var part: [Float]

    init(bins: Int, nFft: Int, frameCount: Int, kernel: Int = HPSSStream.defaultKernel) {
        precondition(kernel % 2 == 1, "median kernels are odd")
        self.kernel = kernel
        self.bins = bins
        self.nFft = nFft
        self.frameCount = frameCount
        ring = [Float](repeating: 0, count: kernel * bins)
        column = [Float](repeating: 0, count: kernel)
        harmonicMedian = [Float](repeating: 0, count: bins)
        percussiveMedian = [Float](repeating: 0, count: bins)
        part = [Float](repeating: 0, count: bins)
    }

    /// Adds the next frame's magnitude spectrum; returns the (harmonic, percussive) energies of every
    /// frame that became computable, in order.
    mutating func push(_ magnitude: UnsafeBufferPointer<Float>) -> [(harmonic: Float, percussive: Float)] {
        let slot = received % kernel
        for k in 0..<bins { ring[slot * bins + k] = magnitude[k] }
        received += 1
        var out: [(Float, Float)] = []
        while emitted < frameCount && (emitted + kernel / 2 < received || received == frameCount) {
            out.append(energies(ofFrame: emitted))
            emitted += 1
        }
        return out
    }

    /// scipy "reflect" (half-sample symmetric) index into `0..<n`.
    @inline(__always)
    static func reflect(_ i: Int, _ n: Int) -> Int {
        if i >= 0 && i < n { return i }
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }

    private mutating func energies(ofFrame t: Int) -> (Float, Float) {
        let half = kernel / 2
        // Horizontal (time) median per bin.
        for k in 0..<bins {
            for j in 0..<kernel {
                let f = HPSSStream.reflect(t - half + j, frameCount)
                column[j] = ring[(f % kernel) * bins + k]
            }
            harmonicMedian[k] = HPSSStream.medianOfSmall(&column)
        }
        // Vertical (frequency) median within frame t.
        let base = (t % kernel) * bins
        for k in 0..<bins {
            for j in 0..<kernel {
                column[j] = ring[base + HPSSStream.reflect(k - half + j, bins)]
            }
            percussiveMedian[k] = HPSSStream.medianOfSmall(&column)
        }
        // Soft masks, as librosa `util.softmask(power=2)`: scaled by the larger value first so squares
        // neither overflow nor underflow; both parts are zero where both medians are zero.
        var harmonic: Float = 0, percussive: Float = 0
        for pass in 0..<2 {
            for k in 0..<bins {
                let h = harmonicMedian[k], p = percussiveMedian[k]
                let z = max(h, p)
                var mask: Float = 0
                if z >= Float.leastNormalMagnitude {
                    let a = (pass == 0 ? h : p) / z, b = (pass == 0 ? p : h) / z
                    mask = (a * a) / (a * a + b * b)
                }
                part[k] = ring[base + k] * mask
            }
            let e = part.withUnsafeBufferPointer { SpectralDescriptors.spectralRMS($0, nFft: nFft) }
            if pass == 0 { harmonic = e } else { percussive = e }
        }
        return (harmonic, percussive)
    }

    /// Median of a small odd-length buffer by insertion sort (fast for ~17 values).
    @inline(__always)
    static func medianOfSmall(_ v: inout [Float]) -> Float {
        let n = v.count
        v.withUnsafeMutableBufferPointer { b in
            for i in 1..<n {
                let x = b[i]
                var j = i - 1
                while j >= 0 && b[j] > x {
                    b[j + 1] = b[j]
                    j -= 1
                }
                b[j + 1] = x
            }
        }
        return v[n / 2]
    }
}
