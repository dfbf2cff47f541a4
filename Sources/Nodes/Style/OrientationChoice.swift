import Foundation

/// Turns the first layer's Fourier features to the directions the reference's edges run in,
/// before the fit starts. A sine of coords·w has its gradient along w, and the deeper layers mix
/// only integer combinations of the first layer's w, so the directions the first layer starts
/// with are the directions the whole picture's structure can take; gradient descent hardly
/// rotates them (a seed's isotropic swirl stays a swirl over a reference of vertical towers).
///
/// Each unit keeps the length of its seeded (x, y) weight — its frequency, which
/// `FrequencyChoice` scales — and takes the direction of a luminance gradient drawn from the
/// reference: a pyramid level at random, then a pixel of it with probability ∝ its squared
/// gradient (its share of the level's edge energy). An isotropic reference gives isotropic
/// directions, as before. A turned unit's radius weight starts at 0: the radius is isotropic,
/// and its rings would cross every direction the reference's edges keep to (the fit may grow it).
///
/// Written by hand: a weighted draw, nothing a library offers.
enum OrientationChoice {
    /// One unit vector (x, y, with y up like the CPPN's coordinates) per unit, or nil for a flat
    /// reference (no gradient to follow: the seeded directions stay). No trigonometry, so the
    /// same bits on every machine (a square root is exact in IEEE arithmetic).
    static func directions(_ reference: StyleLoss.Reference, units: Int, seed: UInt64) -> [(x: Float, y: Float)]? {
        // Per level, the running sum of squared gradients, for a draw by binary search.
        let levels: [(gradients: [Float], cumulative: [Double])] = reference.gradients.compactMap { g in
            guard !g.isEmpty else { return nil }
            var sum = 0.0
            let cumulative = stride(from: 0, to: g.count, by: 2).map { i -> Double in
                sum += Double(g[i] * g[i] + g[i + 1] * g[i + 1])
                return sum
            }
            return sum > 0 ? (g, cumulative) : nil
        }
        guard !levels.isEmpty else { return nil }
        var random = SeededRandom(seed: seed, stream: 0x0A1E)
        return (0..<units).map { _ in
            let level = levels[min(Int(random.nextFloat() * Float(levels.count)), levels.count - 1)]
            let target = Double(random.nextFloat()) * level.cumulative.last!
            var lo = 0, hi = level.cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if level.cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
            }
            // The gradients' y runs down the rows; the CPPN's y runs up. The drawn pixel's
            // gradient is not zero: its squared length moved the running sum past `target`.
            let gx = level.gradients[2 * lo], gy = -level.gradients[2 * lo + 1]
            let length = (gx * gx + gy * gy).squareRoot()
            return (gx / length, gy / length)
        }
    }

    /// `coord` ([3 × hidden]: x, y, r rows) with the (x, y) weight of each of the first
    /// `directions.count` units turned to its direction and its radius weight 0 (a plane wave);
    /// the other units as they were.
    static func turn(_ coord: [Float], hidden h: Int, to directions: [(x: Float, y: Float)]) -> [Float] {
        var out = coord
        for j in directions.indices {
            let length = (coord[j] * coord[j] + coord[h + j] * coord[h + j]).squareRoot()
            out[j] = length * directions[j].x
            out[h + j] = length * directions[j].y
            // The radius input is isotropic: left in, its rings cross every edge direction.
            out[2 * h + j] = 0
        }
        return out
    }
}
