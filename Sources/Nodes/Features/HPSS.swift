import Foundation

/// Harmonic/percussive separation by median filtering (Fitzgerald 2010, librosa `decompose.hpss`):
/// harmonic sounds are steady in time (horizontal lines in the spectrogram), percussive ones are
/// broadband (vertical lines). A median across frames keeps the former, a median across bins the
/// latter; soft (Wiener, power 2) masks then split each magnitude between the two.
///
/// Streaming: the time median needs `kernel / 2` frames of look-ahead, and frames are analysed
/// `group` at a time, so frames are kept in a ring of `kernel + group - 1` spectra and frames
/// `t ..< t + group` are emitted once frame `t + group - 1 + kernel / 2` has arrived (or at the end).
/// Edges are mirrored like scipy's `median_filter(mode="reflect")`.
///
/// Speed: both medians run a branch-free median network (`MedianNetwork`) on blocks of 64 lanes,
/// `group` neighbouring windows at once (neighbours share most of their values): `group` frames per
/// run for the time median, `group` neighbouring bins per lane for the frequency median.
final class HPSSStream {
    static let defaultKernel = 17
    /// Medians per network run; 4 costs a quarter of the min/max steps per median of 1.
    static let defaultGroup = 4
    /// Lanes per network run: a few dozen rows of 64 floats stay in L1.
    static let lanes = 64

    let kernel: Int
    let group: Int
    let bins: Int
    let nFft: Int
    let frameCount: Int
    private let network: MedianNetwork
    /// Bins rounded up to whole blocks; the extra lanes hold zeros and are ignored.
    private let stride: Int
    private let ringSize: Int
    /// Frequency-median blocks: each lane covers `group` neighbouring bins.
    private let binBlocks: Int
    private let phaseLength: Int
    private var received = 0
    private var emitted = 0
    // Raw buffers owned by this object: the inner loops are free of exclusivity checks and copies.
    private let ring: UnsafeMutablePointer<Float>
    /// Frame t's mirrored spectrum split by residue: phase p, index i holds padded bin group·i + p.
    private let phases: UnsafeMutablePointer<Float>
    /// `group` rows of time medians, one per frame of the group being emitted.
    private let harmonicMedian: UnsafeMutablePointer<Float>
    private let percussiveMedian: UnsafeMutablePointer<Float>
    private let slots: UnsafeMutablePointer<Float>
    private let rows: UnsafeMutablePointer<UnsafePointer<Float>?>
    private let blockRows: UnsafeMutablePointer<UnsafePointer<Float>?>

    init(bins: Int, nFft: Int, frameCount: Int, kernel: Int = HPSSStream.defaultKernel,
         group: Int = HPSSStream.defaultGroup) {
        precondition(kernel % 2 == 1, "median kernels are odd")
        self.kernel = kernel
        self.group = min(group, kernel)
        self.bins = bins
        self.nFft = nFft
        self.frameCount = frameCount
        network = MedianNetwork(kernel: kernel, group: self.group)
        let lanes = HPSSStream.lanes
        stride = (bins + lanes - 1) / lanes * lanes
        ringSize = kernel + self.group - 1
        binBlocks = (bins + self.group * lanes - 1) / (self.group * lanes)
        phaseLength = binBlocks * lanes + network.inputCount / self.group + 1
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        ring = buffer(ringSize * stride)
        phases = buffer(self.group * phaseLength)
        harmonicMedian = buffer(self.group * stride)
        percussiveMedian = buffer(binBlocks * self.group * lanes)
        slots = buffer(max(1, network.slotCount) * lanes)
        rows = .allocate(capacity: network.inputCount)
        rows.initialize(repeating: nil, count: network.inputCount)
        blockRows = .allocate(capacity: network.inputCount)
        blockRows.initialize(repeating: nil, count: network.inputCount)
    }

    deinit {
        ring.deallocate(); phases.deallocate(); harmonicMedian.deallocate()
        percussiveMedian.deallocate(); slots.deallocate(); rows.deallocate(); blockRows.deallocate()
    }

    /// Adds the next frame's magnitude spectrum; returns the (harmonic, percussive) energies of every
    /// frame that became computable, in order.
    func push(_ magnitude: UnsafeBufferPointer<Float>) -> [(harmonic: Float, percussive: Float)] {
        let slot = ring + (received % ringSize) * stride
        for k in 0..<bins {
            let value = magnitude[k]
            slot[k] = value.isFinite ? value : 0
        }
        received += 1
        var out: [(Float, Float)] = []
        while emitted < frameCount && (emitted + group - 1 + kernel / 2 < received || received == frameCount) {
            emitGroup(from: emitted, into: &out)
            emitted += group
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

    private func emitGroup(from t: Int, into out: inout [(Float, Float)]) {
        let half = kernel / 2, lanes = HPSSStream.lanes
        // Horizontal (time) medians per bin for frames t ..< t + group, over frames t - half ...
        // t + group - 1 + half, mirrored at the track's ends. All of them are still in the ring:
        // the newest is t + group - 1 + half (or the last frame), the oldest kept is t - half.
        for m in 0..<network.inputCount {
            rows[m] = UnsafePointer(ring + (HPSSStream.reflect(t - half + m, frameCount) % ringSize) * stride)
        }
        for g in Swift.stride(from: 0, to: stride, by: lanes) {
            for m in 0..<network.inputCount { blockRows[m] = rows[m]! + g }
            network.apply(rows: blockRows, slots: slots, lanes: lanes)
            for j in 0..<group {
                (harmonicMedian + j * stride + g).update(from: network.median(j, rows: blockRows, slots: slots, lanes: lanes), count: lanes)
            }
        }
        for j in 0..<group where t + j < frameCount {
            let frame = ring + ((t + j) % ringSize) * stride
            percussiveMedians(frame)
            out.append(softMaskEnergies(frame, harmonicMedian: harmonicMedian + j * stride))
        }
    }

    /// Vertical (frequency) median within one frame over bins k - half ... k + half, mirrored at both
    /// ends of the spectrum. The window of bin k is padded bins k ..< k + kernel; lane l of block b
    /// computes bins group·(b·lanes + l) + j for j < group, whose inputs are padded bins
    /// group·(b·lanes + l) + m: phase m % group at index b·lanes + l + m / group, contiguous in l.
    private func percussiveMedians(_ frame: UnsafeMutablePointer<Float>) {
        let half = kernel / 2, lanes = HPSSStream.lanes, paddedCount = bins + 2 * half
        for p in 0..<group {
            let phase = phases + p * phaseLength
            for i in 0..<phaseLength {
                let k = group * i + p
                phase[i] = k < paddedCount ? frame[HPSSStream.reflect(k - half, bins)] : 0
            }
        }
        for b in 0..<binBlocks {
            for m in 0..<network.inputCount {
                blockRows[m] = UnsafePointer(phases + (m % group) * phaseLength + b * lanes + m / group)
            }
            network.apply(rows: blockRows, slots: slots, lanes: lanes)
            let base = percussiveMedian + b * group * lanes
            for j in 0..<group {
                let median = network.median(j, rows: blockRows, slots: slots, lanes: lanes)
                for l in 0..<lanes { base[group * l + j] = median[l] }
            }
        }
    }

    /// Soft masks as librosa `util.softmask(power=2)` — scaled by the larger median first so squares
    /// neither overflow nor underflow, zero where both medians are zero — then each part's energy as
    /// `SpectralDescriptors.spectralRMS` (Parseval, DC and Nyquist counted once).
    private func softMaskEnergies(_ frame: UnsafeMutablePointer<Float>, harmonicMedian: UnsafeMutablePointer<Float>) -> (Float, Float) {
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
