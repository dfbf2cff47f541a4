import CFeatureKernels
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
/// Speed: both medians run a branch-free median network (`MedianNetwork`) on blocks of up to
/// `maxLanes` lanes, `group` neighbouring windows at once (neighbours share most of their values):
/// `group` frames per run for the time median, `group` neighbouring bins per lane for the frequency
/// median. Blocks are sized to cover the bins with little waste (1025 bins: 5 × 208 lanes in time,
/// 2 × 136 lanes × 4 bins in frequency).
final class HPSSStream {
    static let defaultKernel = 17
    /// Medians per network run; 4 costs a quarter of the min/max steps per median of 1.
    static let defaultGroup = 4
    /// Most lanes per network run: the program's rows (inputs and ~20 slots) stay in L1.
    static let maxLanes = 256

    let kernel: Int
    let group: Int
    let bins: Int
    let nFft: Int
    let frameCount: Int
    private let network: MedianNetwork
    /// Time-median blocks (`timeLanes` bins each) and the ring's row length, bins rounded up to
    /// whole blocks; the extra lanes hold zeros and are ignored.
    private let timeLanes: Int
    private let stride: Int
    private let ringSize: Int
    /// Frequency-median blocks: each of their `binLanes` lanes covers `group` neighbouring bins.
    private let binLanes: Int
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
    /// One frame mirrored by kernel / 2 bins at each end.
    private let padded: UnsafeMutablePointer<Float>
    private let harmonicParts: UnsafeMutablePointer<Float>
    private let percussiveParts: UnsafeMutablePointer<Float>
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
        (timeLanes, stride) = HPSSStream.blocks(covering: bins)
        ringSize = kernel + self.group - 1
        let binItems = (bins + self.group - 1) / self.group
        let binCover: Int
        (binLanes, binCover) = HPSSStream.blocks(covering: binItems)
        binBlocks = binCover / binLanes
        phaseLength = binCover + network.inputCount / self.group + 1
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        ring = buffer(ringSize * stride)
        phases = buffer(self.group * phaseLength)
        harmonicMedian = buffer(self.group * stride)
        percussiveMedian = buffer(binBlocks * self.group * binLanes)
        padded = buffer(bins + 2 * (kernel / 2))
        harmonicParts = buffer(bins)
        percussiveParts = buffer(bins)
        slots = buffer(max(1, network.slotCount) * max(timeLanes, binLanes))
        rows = .allocate(capacity: network.inputCount)
        rows.initialize(repeating: nil, count: network.inputCount)
        blockRows = .allocate(capacity: network.inputCount)
        blockRows.initialize(repeating: nil, count: network.inputCount)
    }

    deinit {
        ring.deallocate(); phases.deallocate(); harmonicMedian.deallocate()
        percussiveMedian.deallocate(); padded.deallocate(); harmonicParts.deallocate()
        percussiveParts.deallocate(); slots.deallocate(); rows.deallocate(); blockRows.deallocate()
    }

    /// Lanes per block (a multiple of 8, at most `maxLanes`) and lanes in all, for `items` lanes'
    /// worth of work split into as few, as equal blocks as possible.
    static func blocks(covering items: Int) -> (lanes: Int, total: Int) {
        let count = max(1, (items + maxLanes - 1) / maxLanes)
        let lanes = max(8, ((items + count - 1) / count + 7) / 8 * 8)
        return (lanes, lanes * count)
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
        let half = kernel / 2, lanes = timeLanes
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
        let half = kernel / 2, lanes = binLanes, paddedCount = bins + 2 * half
        (padded + half).update(from: frame, count: bins)
        for i in 0..<half {
            padded[i] = frame[HPSSStream.reflect(i - half, bins)]
            padded[half + bins + i] = frame[HPSSStream.reflect(bins + i, bins)]
        }
        if group == 4 {
            // The default group, written out so that it vectorises (a four-way de-interleave).
            let p0 = phases, p1 = phases + phaseLength, p2 = phases + 2 * phaseLength, p3 = phases + 3 * phaseLength
            let whole = paddedCount / 4
            for i in 0..<whole {
                p0[i] = padded[4 * i]; p1[i] = padded[4 * i + 1]; p2[i] = padded[4 * i + 2]; p3[i] = padded[4 * i + 3]
            }
            for k in (4 * whole)..<paddedCount { phases[(k % 4) * phaseLength + whole] = padded[k] }
        } else {
            for p in 0..<group {
                let phase = phases + p * phaseLength
                let filled = (paddedCount - p + group - 1) / group
                for i in 0..<filled { phase[i] = padded[group * i + p] }
            }
        }
        for b in 0..<binBlocks {
            for m in 0..<network.inputCount {
                blockRows[m] = UnsafePointer(phases + (m % group) * phaseLength + b * lanes + m / group)
            }
            network.apply(rows: blockRows, slots: slots, lanes: lanes)
            let base = percussiveMedian + b * group * lanes
            if group == 4 {
                let m0 = network.median(0, rows: blockRows, slots: slots, lanes: lanes)
                let m1 = network.median(1, rows: blockRows, slots: slots, lanes: lanes)
                let m2 = network.median(2, rows: blockRows, slots: slots, lanes: lanes)
                let m3 = network.median(3, rows: blockRows, slots: slots, lanes: lanes)
                for l in 0..<lanes {
                    base[4 * l] = m0[l]; base[4 * l + 1] = m1[l]; base[4 * l + 2] = m2[l]; base[4 * l + 3] = m3[l]
                }
            } else {
                for j in 0..<group {
                    let median = network.median(j, rows: blockRows, slots: slots, lanes: lanes)
                    for l in 0..<lanes { base[group * l + j] = median[l] }
                }
            }
        }
    }

    /// Soft masks as librosa `util.softmask(power=2)` — scaled by the larger median first so squares
    /// neither overflow nor underflow, zero where both medians are zero — then each part's energy as
    /// `SpectralDescriptors.spectralRMS` (Parseval, DC and Nyquist counted once).
    ///
    /// Two loops: the Float masks (CFeatureKernels, vectorised; a zero part adds nothing to the
    /// sums), then the Double sums in bin order.
    private func softMaskEnergies(_ frame: UnsafeMutablePointer<Float>, harmonicMedian: UnsafeMutablePointer<Float>) -> (Float, Float) {
        fk_soft_masks(frame, harmonicMedian, percussiveMedian, bins, harmonicParts, percussiveParts)
        var sumH = 0.0, sumP = 0.0
        for k in 0..<bins {
            let partH = Double(harmonicParts[k]), partP = Double(percussiveParts[k])
            sumH += partH * partH
            sumP += partP * partP
        }
        let firstH = Double(harmonicParts[0]), firstP = Double(percussiveParts[0])
        let lastH = Double(harmonicParts[bins - 1]), lastP = Double(percussiveParts[bins - 1])
        func energy(_ sum: Double, _ first: Double, _ last: Double) -> Float {
            let total = 2 * sum - first * first - (nFft % 2 == 0 ? last * last : 0)
            return Float((max(0, total) / Double(nFft * nFft)).squareRoot())
        }
        return (energy(sumH, firstH, lastH), energy(sumP, firstP, lastP))
    }
}
