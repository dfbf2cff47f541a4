import Foundation

/// Harmonic/percussive separation by median filtering (Fitzgerald 2010, librosa `decompose.hpss`):
/// harmonic sounds are steady in time (horizontal lines in the spectrogram), percussive ones are
/// broadband (vertical lines). A median across frames keeps the former, a median across bins the
/// latter; soft (Wiener, power 2) masks then split each magnitude between the two.
///
/// Streaming: the time median needs `kernel / 2` frames of look-ahead, so frames are kept in a ring
/// of `kernel` spectra and frame `t` is emitted once frame `t + kernel / 2` has arrived (or at the
/// end). Edges are mirrored like scipy's `median_filter(mode="reflect")`.
///
/// Speed: both medians run a branch-free median network on blocks of bins at a time; HPSS was half
/// of the extraction's time with sorted sliding windows, whose branches mispredict on music.
final class HPSSStream {
    static let defaultKernel = 17
    /// Bins per median-network block: 17 rows of 64 floats stay in L1.
    static let lanes = 64

    let kernel: Int
    let bins: Int
    let nFft: Int
    let frameCount: Int
    private let network: MedianNetwork
    /// Bins rounded up to whole blocks; the extra lanes hold zeros and are ignored.
    private let stride: Int
    private var received = 0
    private var emitted = 0
    // Raw buffers owned by this object: the inner loops are free of exclusivity checks and copies.
    private let ring: UnsafeMutablePointer<Float>
    private let padded: UnsafeMutablePointer<Float>
    private let harmonicMedian: UnsafeMutablePointer<Float>
    private let percussiveMedian: UnsafeMutablePointer<Float>
    private let block: UnsafeMutablePointer<Float>
    private let spare: UnsafeMutablePointer<Float>
    private let inSpare: UnsafeMutablePointer<Bool>
    private let rows: UnsafeMutablePointer<UnsafePointer<Float>>

    init(bins: Int, nFft: Int, frameCount: Int, kernel: Int = HPSSStream.defaultKernel) {
        precondition(kernel % 2 == 1, "median kernels are odd")
        self.kernel = kernel
        self.bins = bins
        self.nFft = nFft
        self.frameCount = frameCount
        network = MedianNetwork(count: kernel)
        stride = (bins + HPSSStream.lanes - 1) / HPSSStream.lanes * HPSSStream.lanes
        ring = .allocate(capacity: kernel * stride)
        ring.initialize(repeating: 0, count: kernel * stride)
        // A frame mirrored by kernel / 2 bins on each side, plus room for the last vector's window.
        padded = .allocate(capacity: stride + kernel)
        padded.initialize(repeating: 0, count: stride + kernel)
        harmonicMedian = .allocate(capacity: stride)
        harmonicMedian.initialize(repeating: 0, count: stride)
        percussiveMedian = .allocate(capacity: stride)
        percussiveMedian.initialize(repeating: 0, count: stride)
        block = .allocate(capacity: kernel * HPSSStream.lanes)
        block.initialize(repeating: 0, count: kernel * HPSSStream.lanes)
        spare = .allocate(capacity: kernel * HPSSStream.lanes)
        spare.initialize(repeating: 0, count: kernel * HPSSStream.lanes)
        inSpare = .allocate(capacity: kernel)
        inSpare.initialize(repeating: false, count: kernel)
        rows = .allocate(capacity: kernel)
        rows.initialize(repeating: UnsafePointer(ring), count: kernel)
    }

    deinit {
        ring.deallocate(); padded.deallocate(); harmonicMedian.deallocate()
        percussiveMedian.deallocate(); block.deallocate(); spare.deallocate()
        inSpare.deallocate(); rows.deallocate()
    }

    /// Adds the next frame's magnitude spectrum; returns the (harmonic, percussive) energies of every
    /// frame that became computable, in order.
    func push(_ magnitude: UnsafeBufferPointer<Float>) -> [(harmonic: Float, percussive: Float)] {
        let slot = ring + (received % kernel) * stride
        for k in 0..<bins {
            let value = magnitude[k]
            slot[k] = value.isFinite ? value : 0
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
        let frame = ring + (t % kernel) * stride
        // Horizontal (time) median per bin over frames t - half ... t + half, mirrored at the track's
        // ends. All of them are still in the ring: the newest is t + half (or the last frame), the
        // oldest kept is t + half - kernel + 1 = t - half.
        for j in 0..<kernel {
            rows[j] = UnsafePointer(ring + (HPSSStream.reflect(t - half + j, frameCount) % kernel) * stride)
        }
        let lanes = HPSSStream.lanes
        for g in Swift.stride(from: 0, to: stride, by: lanes) {
            for j in 0..<kernel { (block + j * lanes).update(from: rows[j] + g, count: lanes) }
            let median = network.apply(block, spare: spare, inSpare: inSpare, lanes: lanes)
            (harmonicMedian + g).update(from: median, count: lanes)
        }
        // Vertical (frequency) median within frame t over bins k - half ... k + half, mirrored at both
        // ends of the spectrum: the window of bin k is padded[k ..< k + kernel].
        for i in 0..<(bins + 2 * half) { padded[i] = frame[HPSSStream.reflect(i - half, bins)] }
        for g in Swift.stride(from: 0, to: stride, by: lanes) {
            for j in 0..<kernel { (block + j * lanes).update(from: padded + g + j, count: lanes) }
            let median = network.apply(block, spare: spare, inSpare: inSpare, lanes: lanes)
            (percussiveMedian + g).update(from: median, count: lanes)
        }
        return softMaskEnergies(frame)
    }

    /// Soft masks as librosa `util.softmask(power=2)` — scaled by the larger median first so squares
    /// neither overflow nor underflow, zero where both medians are zero — then each part's energy as
    /// `SpectralDescriptors.spectralRMS` (Parseval, DC and Nyquist counted once).
    private func softMaskEnergies(_ frame: UnsafeMutablePointer<Float>) -> (Float, Float) {
        var sumH = 0.0, sumP = 0.0
        var firstH = 0.0, firstP = 0.0, lastH = 0.0, lastP = 0.0
        for k in 0..<bins {
            let h = harmonicMedian[k], p = percussiveMedian[k]
            let z = h > p ? h : p
            guard z >= Float.leastNormalMagnitude else { continue }
            let a = h / z, b = p / z
            let a2 = a * a, b2 = b * b
            let partH = Double(frame[k] * (a2 / (a2 + b2))), partP = Double(frame[k] * (b2 / (a2 + b2)))
            sumH += partH * partH
            sumP += partP * partP
            if k == 0 { firstH = partH; firstP = partP }
            if k == bins - 1 { lastH = partH; lastP = partP }
        }
        func energy(_ sum: Double, _ first: Double, _ last: Double) -> Float {
            let total = 2 * sum - first * first - (nFft % 2 == 0 ? last * last : 0)
            return Float((max(0, total) / Double(nFft * nFft)).squareRoot())
        }
        return (energy(sumH, firstH, lastH), energy(sumP, firstP, lastP))
    }
}
