/// The hidden layers' gain for a fit whose settings leave it unset, chosen from how much of the
/// reference is flat. Each sine layer adds harmonics of the frequencies below it in proportion
/// to its weights, so a lower gain gives a picture with fewer scales and wider smooth areas
/// between its edges. A reference whose pixels are mostly flat (a sky, a page, a dark fundus, a
/// smooth surface) wants that; one with structure everywhere (fur, a cluttered scene) does not.
///
/// Measured on the tuning images over three fitting seeds each (BENCHMARKS.md, Styles): gain 0.8
/// took the five references with at least half of their pixels flat (moon, cell, handwriting,
/// microaneurysms, the deep field) from 0.84, 0.88, 0.78, 1.01 and 0.22 to 0.68, 0.60, 0.73, 0.97
/// and 0.21 in texture ratio; of the three with a quarter to a third flat it cost chelsea 0.10 and
/// motorcycle_left 0.08 (coffee gained 0.06). The threshold sits between the two groups.
///
/// Written by hand: a count over one plane of differences.
enum GainChoice {
    /// A pixel is flat when its luminance differs from its right and lower neighbours' by less
    /// than 2 L* units together (the reference's gradients are of L*/100).
    static let flatStep: Float = 0.02
    /// The share of flat pixels from which a reference counts as flat: between the tuning
    /// images' 0.36 (coffee, the flattest of the three object photographs) and 0.51
    /// (handwriting, the least flat of the five references with large flat areas).
    static let flatThreshold = 0.44
    /// The gain a flat reference's fit starts from.
    static let flatGain = 0.8

    /// The share of the finest level's pixels that are flat (0 for a reference too small to
    /// have a gradient).
    static func flatShare(_ reference: StyleLoss.Reference) -> Double {
        guard let g = reference.gradients.first, !g.isEmpty else { return 0 }
        let limit = flatStep * flatStep
        var flat = 0
        for i in stride(from: 0, to: g.count, by: 2) where g[i] * g[i] + g[i + 1] * g[i + 1] < limit { flat += 1 }
        return Double(flat) / Double(g.count / 2)
    }

    static func gain(for reference: StyleLoss.Reference) -> Double {
        flatShare(reference) >= flatThreshold ? flatGain : 1
    }
}
