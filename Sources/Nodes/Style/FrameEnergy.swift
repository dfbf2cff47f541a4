import Foundation

/// The picture's contrast at the scale of the whole frame: the luminance averaged over blocks of
/// 16 and 32 render pixels (6 × 6 and 3 × 3 at size 96, below the texture filters' reach), and
/// at each of those levels the mean squared difference between neighbouring blocks.
///
/// The style loss compares it, in logarithms, pooled over a step's latents: the mean over the
/// batch against the reference's. Where the fitted picture sits in the frame belongs to the
/// latent (its phases shift every Fourier feature), so a per-render comparison of the frame's
/// layout would ask for something no latent can hold; how much contrast there is at that scale
/// does not depend on where it sits. Fits without the term keep a fifth to a fortieth of an
/// object photograph's frame-scale contrast (a bright rocket on a dark sky becomes a dim swirl).
///
/// Written by hand, forward and backward: block sums and two subtractions per block.
enum FrameEnergy {
    /// The block sides measured for renders of side `size`: those that leave at least 2 × 2 blocks.
    static func factors(size: Int) -> [Int] {
        [16, 32].filter { size / $0 >= 2 }
    }

    /// Per factor, the block means of `plane` ([height × width]) and the grid's size.
    private static func blocks(_ plane: [Float], width: Int, height: Int, factor f: Int) -> (means: [Float], width: Int, height: Int) {
        let bw = width / f, bh = height / f
        var means = [Float](repeating: 0, count: bw * bh)
        let scale = 1 / Float(f * f)
        for by in 0..<bh {
            for bx in 0..<bw {
                var sum: Float = 0
                for y in (by * f)..<((by + 1) * f) {
                    for x in (bx * f)..<((bx + 1) * f) { sum += plane[y * width + x] }
                }
                means[by * bw + bx] = sum * scale
            }
        }
        return (means, bw, bh)
    }

    /// Per factor, the mean squared block difference (as `EnergyShares.energies` counts it: over
    /// both components of every position that has both neighbours).
    static func energies(_ plane: [Float], width: Int, height: Int, factors: [Int]) -> [Double] {
        factors.map { f in
            let b = blocks(plane, width: width, height: height, factor: f)
            return EnergyShares.energies([LuminanceGradients.forward(b.means, width: b.width, height: b.height)])[0]
        }
    }

    /// Adds d/d plane of Σ_k scale[k] · energy_k (the energies above) into `dPlane`.
    static func backward(_ plane: [Float], width: Int, height: Int, factors: [Int], scales: [Double], into dPlane: inout [Float]) {
        for (k, f) in factors.enumerated() where scales[k] != 0 {
            let b = blocks(plane, width: width, height: height, factor: f)
            let g = LuminanceGradients.forward(b.means, width: b.width, height: b.height)
            guard !g.isEmpty else { continue }
            // energy = Σ g² / count, so d energy / d g = 2 g / count.
            let factor = Float(2 * scales[k] / Double(g.count))
            var dBlocks = [Float](repeating: 0, count: b.means.count)
            LuminanceGradients.backward(g.map { $0 * factor }, width: b.width, height: b.height, into: &dBlocks)
            let spread = 1 / Float(f * f)
            for by in 0..<b.height {
                for bx in 0..<b.width {
                    let d = dBlocks[by * b.width + bx] * spread
                    for y in (by * f)..<((by + 1) * f) {
                        for x in (bx * f)..<((bx + 1) * f) { dPlane[y * width + x] += d }
                    }
                }
            }
        }
    }

    /// The pooled loss Σ_k (ln mean_b E_bk − ln R_k)² over a batch's energies `batch` ([latent][k])
    /// against the reference's `reference`, and per latent the scales d loss / d E_bk.
    static func pooledLoss(_ batch: [[Double]], reference: [Double]) -> (loss: Double, scales: [[Double]]) {
        let floor = 1e-12
        let count = Double(batch.count)
        var loss = 0.0
        var perLevel = [Double](repeating: 0, count: reference.count)
        for k in reference.indices {
            let mean = max(batch.map { $0[k] }.reduce(0, +) / count, floor)
            let difference = log(mean) - log(max(reference[k], floor))
            loss += difference * difference
            perLevel[k] = 2 * difference / (mean * count)
        }
        return (loss, batch.map { _ in perLevel })
    }
}
