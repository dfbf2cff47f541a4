import Foundation

/// Harmonic/percussive separation by median filtering (Fitzgerald 2010, librosa `decompose.hpss`):
/// harmonic sounds are steady in time (horizontal lines in the spectrogram), percussive ones are
/// broadband (vertical lines). A median across frames keeps the former, a median across bins the
/// latter; soft (Wiener, power 2) masks then split each magnitude between the two.
///
/// Streaming: the time median needs `kernel / 2` frames of look-ahead, so frames are kept in a ring
/// of `kernel` spectra and frame `t` is emitted once frame `t + kernel / 2` has arrived (or at the
/// end). Edges are mirrored like scipy's `median_filter(mode="reflect")`.
final class HPSSStream {
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
    /// Per bin, the values of the last `kernel` frames in ascending order.
    private var sortedWindows: [Float]
    private var sliding: [Float]

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
        sortedWindows = [Float](repeating: 0, count: bins * kernel)
        sliding = [Float](repeating: 0, count: kernel)
    }

    /// Adds the next frame's magnitude spectrum; returns the (harmonic, percussive) energies of every
    /// frame that became computable, in order.
    func push(_ magnitude: UnsafeBufferPointer<Float>) -> [(harmonic: Float, percussive: Float)] {
        let slot = received % kernel
        // Keep, per bin, the last `kernel` frames' values sorted: the time median of an interior
        // frame is then the middle element, and each new frame costs one replace-and-shift per bin
        // instead of a sort.
        let filled = min(received, kernel)
        ring.withUnsafeMutableBufferPointer { r in
            sortedWindows.withUnsafeMutableBufferPointer { w in
                for k in 0..<bins {
                    let value = magnitude[k].isFinite ? magnitude[k] : 0
                    let sorted = w.baseAddress! + k * kernel
                    if filled < kernel {
                        HPSSStream.insert(sorted, count: filled, value)
                    } else {
                        HPSSStream.replace(sorted, count: kernel, old: r[slot * bins + k], new: value)
                    }
                    r[slot * bins + k] = value
                }
            }
        }
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

    private func energies(ofFrame t: Int) -> (Float, Float) {
        let half = kernel / 2
        let base = (t % kernel) * bins
        // Horizontal (time) median per bin. Interior frames: the sorted window of the last `kernel`
        // frames is exactly t - half ... t + half. Near the track's ends the window is mirrored.
        let interior = t >= half && t + half < frameCount && received == t + half + 1
        for k in 0..<bins {
            if interior {
                harmonicMedian[k] = sortedWindows[k * kernel + half]
            } else {
                for j in 0..<kernel {
                    let f = HPSSStream.reflect(t - half + j, frameCount)
                    column[j] = ring[(f % kernel) * bins + k]
                }
                harmonicMedian[k] = HPSSStream.medianOfSmall(&column)
            }
        }
        // Vertical (frequency) median within frame t: a window sliding along the bins, kept sorted;
        // mirrored windows at both ends of the spectrum.
        ring.withUnsafeBufferPointer { r in
            let frame = r.baseAddress! + base
            for k in 0..<bins where k < half || k + half >= bins || bins < kernel {
                for j in 0..<kernel { column[j] = frame[HPSSStream.reflect(k - half + j, bins)] }
                percussiveMedian[k] = HPSSStream.medianOfSmall(&column)
            }
            guard bins >= kernel else { return }
            sliding.withUnsafeMutableBufferPointer { c in
                let sorted = c.baseAddress!
                for j in 0..<kernel { sorted[j] = frame[j] }
                HPSSStream.sort(sorted, count: kernel)
                percussiveMedian[half] = sorted[half]
                var k = half + 1
                while k + half < bins {
                    HPSSStream.replace(sorted, count: kernel, old: frame[k - half - 1], new: frame[k + half])
                    percussiveMedian[k] = sorted[half]
                    k += 1
                }
            }
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

    /// Inserts `value` into the sorted `a[0..<count]` (which has room for one more).
    @inline(__always)
    static func insert(_ a: UnsafeMutablePointer<Float>, count: Int, _ value: Float) {
        var i = count
        while i > 0 && a[i - 1] > value {
            a[i] = a[i - 1]
            i -= 1
        }
        a[i] = value
    }

    /// Replaces one occurrence of `old` in the sorted `a[0..<count]` by `new`, keeping it sorted.
    @inline(__always)
    static func replace(_ a: UnsafeMutablePointer<Float>, count: Int, old: Float, new: Float) {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < old { lo = mid + 1 } else { hi = mid }
        }
        var i = min(lo, count - 1)
        if new > a[i] {
            while i + 1 < count && a[i + 1] < new {
                a[i] = a[i + 1]
                i += 1
            }
        } else {
            while i > 0 && a[i - 1] > new {
                a[i] = a[i - 1]
                i -= 1
            }
        }
        a[i] = new
    }

    /// Insertion sort, in place (`count` is small).
    @inline(__always)
    static func sort(_ a: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { insert(a, count: i, a[i]) }
    }

    /// Median of a small odd-length buffer by insertion sort (fast for ~17 values).
    @inline(__always)
    static func medianOfSmall(_ v: inout [Float]) -> Float {
        v.withUnsafeMutableBufferPointer { sort($0.baseAddress!, count: $0.count) }
        return v[v.count / 2]
    }
}
