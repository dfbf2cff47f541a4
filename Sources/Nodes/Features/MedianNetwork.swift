/// A branch-free median of `n` values: the comparators of Batcher's odd–even merge sort that the
/// middle output depends on (70 of them for n = 17). Applied lane-wise to many medians at once, it
/// is min/max only — vectorisable, with no data-dependent branches to mispredict, unlike sorting.
struct MedianNetwork {
    let count: Int
    let comparators: [(Int, Int)]

    init(count: Int) {
        precondition(count % 2 == 1, "median networks are for odd counts")
        self.count = count
        var size = 1
        while size < count { size *= 2 }
        // Sort network for the next power of two; wires ≥ count carry +∞ and never move, so the
        // comparators touching them are no-ops and are dropped.
        var all: [(Int, Int)] = []
        MedianNetwork.sort(0, size - 1, into: &all)
        all = all.filter { $0.1 < count }
        // Keep only what the middle output depends on, walking backwards from it.
        var needed = Set([count / 2])
        var kept: [(Int, Int)] = []
        for c in all.reversed() where needed.contains(c.0) || needed.contains(c.1) {
            kept.append(c)
            needed.insert(c.0)
            needed.insert(c.1)
        }
        comparators = kept.reversed()
    }

    /// Lane-wise medians of `count` rows of `lanes` floats each, stored row after row in `rows`;
    /// `spare` is scratch of the same size. Returns the row of medians (in one of the two).
    ///
    /// Plain loops over lanes, which the optimiser turns into vector min/max. Each comparator reads
    /// its two rows from one buffer and writes them to the other: written in place, the "store back
    /// what was loaded" half of every swap is optimised into a conditional store, which does not
    /// vectorise (and Swift's generic SIMD pointwiseMin is not inlined, so it is no alternative).
    @inline(__always)
    func apply(_ rows: UnsafeMutablePointer<Float>, spare: UnsafeMutablePointer<Float>,
               inSpare: UnsafeMutablePointer<Bool>, lanes: Int) -> UnsafePointer<Float> {
        inSpare.update(repeating: false, count: count)
        for (i, j) in comparators {
            let fromI = (inSpare[i] ? spare : rows) + i * lanes, toI = (inSpare[i] ? rows : spare) + i * lanes
            let fromJ = (inSpare[j] ? spare : rows) + j * lanes, toJ = (inSpare[j] ? rows : spare) + j * lanes
            for l in 0..<lanes {
                let x = fromI[l], y = fromJ[l]
                let swap = y < x
                toI[l] = swap ? y : x
                toJ[l] = swap ? x : y
            }
            inSpare[i].toggle()
            inSpare[j].toggle()
        }
        let m = count / 2
        return UnsafePointer((inSpare[m] ? spare : rows) + m * lanes)
    }

    private static func sort(_ lo: Int, _ hi: Int, into out: inout [(Int, Int)]) {
        guard hi - lo >= 1 else { return }
        let mid = lo + (hi - lo) / 2
        sort(lo, mid, into: &out)
        sort(mid + 1, hi, into: &out)
        merge(lo, hi, 1, into: &out)
    }

    private static func merge(_ lo: Int, _ hi: Int, _ r: Int, into out: inout [(Int, Int)]) {
        let step = r * 2
        if step < hi - lo {
            merge(lo, hi, step, into: &out)
            merge(lo + r, hi, step, into: &out)
            for i in stride(from: lo + r, to: hi - r, by: step) { out.append((i, i + r)) }
        } else {
            out.append((lo, lo + r))
        }
    }
}
