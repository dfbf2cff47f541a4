import Foundation

/// Chooses the scale of the first layer's coordinate weights (the frequency of its Fourier
/// features) for a reference, before the fit starts. Gradient descent hardly moves a CPPN's
/// overall frequency: a fit started too fine keeps a busy swirl over a reference's smooth areas,
/// one started too coarse cannot make grass. So the start is matched to the reference: among a
/// few scales (√2 apart), the one whose renders spread their texture-filter energy over the
/// pyramid's scales in the proportions the reference does — a spectrum slope, measured with the
/// fit's own filters (not with any benchmark's measure).
///
/// Written by hand: a handful of forward passes and sums, nothing a library offers.
enum FrequencyChoice {
    /// 0.75 · √2^k: from smoother than a random seed's (1) to about 4.
    static let candidates: [Double] = (0..<6).map { 0.75 * pow(2, Double($0) / 2) }

    /// Per pyramid scale, the mean squared texture feature, as fractions of their sum.
    static func profile(_ features: [[Float]]) -> [Double] {
        // The filtered levels only (coarse levels carry no responses).
        let energies = EnergyShares.energies(features.filter { !$0.isEmpty })
        let total = max(energies.reduce(0, +), 1e-30)
        return energies.map { $0 / total }
    }

    /// Squared distance of two profiles' logarithms, over the scales both have.
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0.0) { sum, pair in
            let d = log(max(pair.0, 1e-12)) - log(max(pair.1, 1e-12))
            return sum + d * d
        }
    }

    /// The candidate whose renders at `latents` come closest to the reference's profile (the
    /// first of equals): deterministic, it depends only on the reference and the settings.
    static func choose(_ reference: StyleLoss.Reference, settings s: StyleSettings, filters: TextureFilters,
                       coords: CoordinateCache.Planes, directions: [(x: Float, y: Float)] = [], latents: [[Float]]) -> Double {
        let target = profile(reference.features)
        let tape = CPPNTape(hidden: s.hidden, layers: s.layers, pixels: s.size * s.size)
        var best = candidates[0], bestDistance = Double.infinity
        for f in candidates {
            let weights = StyleFitter.initialWeights(s, frequency: f, directions: directions)
            var energies = [Double](repeating: 0, count: target.count)
            for latent in latents {
                tape.forward(weights, coordinates: coords.values, stride: coords.stride, latent: latent)
                let lab = LabTransform.forward(tape.rgb)
                let levels = filters.forward(StyleLoss.planes(lab, pixels: s.size * s.size), width: s.size, height: s.size)
                for (i, p) in profile(levels.map(\.features)).enumerated() where i < energies.count { energies[i] += p }
            }
            let d = distance(energies.map { $0 / Double(latents.count) }, target)
            if d < bestDistance { (best, bestDistance) = (f, d) }
        }
        return best
    }
}
