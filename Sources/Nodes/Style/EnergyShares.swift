import Foundation

/// How a picture's structure is shared out between the scales of the texture pyramid: at each
/// level, the mean squared luminance gradient — about one octave of the power spectrum — as a
/// share of the levels' sum. The style loss compares the shares in logarithms, so a level that
/// holds a twentieth of the reference's energy counts as much as one that holds half of it: the
/// per-level distribution terms are in absolute units and let a fit keep twice the reference's
/// energy in the finest octave (small in absolute terms) or a ramp across the whole frame.
/// A classic texture statistic (the subband variances of Portilla and Simoncelli, IJCV 2000),
/// measured with the fit's own pyramid.
///
/// Written by hand, forward and backward: a few sums per level.
enum EnergyShares {
    /// Per level, the mean of the squared values (gradient components here, filter responses in
    /// `FrequencyChoice`).
    static func energies(_ levels: [[Float]]) -> [Double] {
        levels.map { v in v.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(v.count, 1)) }
    }

    /// Σ (ln share − ln reference share)² over the levels both have; adds its gradient (× `weight`)
    /// to `dGradients`.
    static func loss(_ gradients: [[Float]], reference: [Double], weight: Float, into dGradients: inout [[Float]]) -> Double {
        let levels = min(gradients.count, reference.count)
        guard levels > 1 else { return 0 }
        let floor = 1e-12
        let energy = energies(Array(gradients.prefix(levels))).map { max($0, floor) }
        let target = reference.prefix(levels).map { max($0, floor) }
        let total = energy.reduce(0, +), targetTotal = target.reduce(0, +)
        let differences = (0..<levels).map { log(energy[$0] / total) - log(target[$0] / targetTotal) }
        let sum = differences.reduce(0, +)
        for s in 0..<levels where !gradients[s].isEmpty {
            // d/dE_s of Σ_k a_k², with a_k = ln E_k − ln Σ E − const.
            let dEnergy = 2 * differences[s] / energy[s] - 2 * sum / total
            let scale = Float(Double(weight) * dEnergy * 2 / Double(gradients[s].count))
            for i in gradients[s].indices { dGradients[s][i] += scale * gradients[s][i] }
        }
        return differences.reduce(0) { $0 + $1 * $1 }
    }
}
