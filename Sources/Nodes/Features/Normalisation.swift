import Foundation

/// Order statistics with numpy's conventions (median averages the two middle values; percentiles
/// interpolate linearly between order statistics).
enum Statistics {
    /// Median of `values` (reordered in place). 0 for an empty array.
    /// Leaves `values` reordered. Selection (quickselect), not a full sort: the onset envelope takes
    /// the median of 128 bands every frame, and sorting them was a few per cent of the extraction.
    static func median(_ values: inout [Float]) -> Float {
        let n = values.count
        guard n > 0 else { return 0 }
        return values.withUnsafeMutableBufferPointer { v in
            let upper = select(n / 2, in: v)
            guard n % 2 == 0 else { return upper }
            // After the selection everything before n / 2 is ≤ the upper middle: its maximum is the
            // lower middle.
            var lower = v[0]
            for i in 1..<(n / 2) where v[i] > lower { lower = v[i] }
            return 0.5 * (lower + upper)
        }
    }

    /// The value of rank `k` (what `sorted()[k]` would hold), leaving it at index `k` with nothing
    /// larger before it and nothing smaller after it. Values must not be NaN.
    static func select(_ k: Int, in v: UnsafeMutableBufferPointer<Float>) -> Float {
        var lo = 0, hi = v.count - 1
        while lo < hi {
            // Median-of-three pivot, then a Hoare partition.
            let mid = lo + (hi - lo) / 2
            if v[mid] < v[lo] { v.swapAt(mid, lo) }
            if v[hi] < v[lo] { v.swapAt(hi, lo) }
            if v[hi] < v[mid] { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return v[k]
    }

    /// numpy `percentile(x, q)` with the default linear method, for several `q` at once.
    static func percentiles(_ values: [Float], _ qs: [Double]) -> [Float] {
        guard !values.isEmpty else { return qs.map { _ in 0 } }
        let sorted = values.sorted()
        return qs.map { q in
            let position = q / 100 * Double(sorted.count - 1)
            let lo = Int(position.rounded(.down))
            let hi = min(lo + 1, sorted.count - 1)
            let t = Float(position - Double(lo))
            return sorted[lo] + (sorted[hi] - sorted[lo]) * t
        }
    }
}

/// Robust [0, 1] scaling for the controller: the 5th percentile maps to 0 and the 95th to 1, so a
/// few extreme frames neither squash nor saturate the rest. A constant signal (silence) maps to all
/// zeros rather than dividing by zero.
enum RobustNormalisation {
    static let lowPercentile = 5.0
    static let highPercentile = 95.0

    static func normalise(_ values: [Float]) -> [Float] {
        let p = Statistics.percentiles(values, [lowPercentile, highPercentile])
        let lo = p[0], range = p[1] - p[0]
        guard range > 0, range.isFinite else { return [Float](repeating: 0, count: values.count) }
        return values.map { min(1, max(0, ($0 - lo) / range)) }
    }
}
