import Foundation

/// Order statistics with numpy's conventions (median averages the two middle values; percentiles
/// interpolate linearly between order statistics).
enum Statistics {
    /// Median of `values` (reordered in place). 0 for an empty array.
    static func median(_ values: inout [Float]) -> Float {
        let n = values.count
        guard n > 0 else { return 0 }
        values.sort()
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2])
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
