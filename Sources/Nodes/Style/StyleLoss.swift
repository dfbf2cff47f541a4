/// What style fitting minimises for one render: how far its colours and its texture are from
/// the reference's, as distributions.
///
/// - **colour**: sliced Wasserstein distance between the pixels' CIELAB values (squared Lab
///   units: its square root is a distance in ΔE-like units);
/// - **texture**: per scale of `TextureFilters`, the sliced Wasserstein distance between the
///   C-dimensional filter responses (of the Lab planes scaled by 1/100), plus the one between
///   the 2-D luminance gradients at that scale (`LuminanceGradients`); on the optional coarse
///   levels below the filters' reach (`StyleSettings.coarseLevels`), the gradients only;
/// - **energy shares** (optional, `StyleSettings.energy`): how the gradients' energy is shared out
///   between the levels, compared in logarithms (`EnergyShares`);
/// - **spectrum** (`StyleSettings.spectrum`): how the frame's luminance power is shared out over
///   frequency and orientation (`SpectralShares`).
///
/// The directions are redrawn every step by the fitter (one `StyleLoss.Targets` per step, shared
/// by that step's latents), so over the fit every direction of colour and feature space is seen.
struct StyleLoss {
    /// The reference, prepared once: Lab pixels, texture features and luminance gradients per scale.
    struct Reference {
        let lab: [Float]
        let features: [[Float]]
        let gradients: [[Float]]
        /// Per level, the mean squared gradient (`EnergyShares`).
        let energies: [Double]
        /// The luminance power's shares per frequency and orientation band (`SpectralShares`).
        let spectrum: [Double]
        let width: Int
        let height: Int

        init(image: RGBImage, filters: TextureFilters, spectral: SpectralShares) {
            width = image.width
            height = image.height
            lab = LabTransform.forward(image.pixels.map { Float($0) / 255 })
            let planes = StyleLoss.planes(lab, pixels: width * height)
            let levels = filters.forward(planes, width: width, height: height)
            features = levels.map(\.features)
            gradients = levels.map { LuminanceGradients.forward($0.planes, width: $0.width, height: $0.height) }
            energies = EnergyShares.energies(gradients)
            spectrum = spectral.referenceShares(Array(planes[0..<(width * height)]), width: width, height: height)
        }
    }

    /// One step's comparison targets: the reference projected on that step's directions.
    struct Targets {
        let colour: SlicedWasserstein
        /// Per level; nil on the coarse levels that have no filter responses.
        let texture: [SlicedWasserstein?]
        let gradients: [SlicedWasserstein]
        let energies: [Double]
        let spectrum: [Double]
    }

    let filters: TextureFilters
    let spectral: SpectralShares
    /// The render's size (square).
    let size: Int
    /// Weights of the colour and texture terms; the fitter sets them so both start at 1.
    var colourWeight: Float = 1
    var textureWeight: Float = 1
    /// Weight of the energy-share term (`EnergyShares`); 0 leaves it out.
    var energyWeight: Float = 0
    /// Weight of the spectrum term (`SpectralShares`); 0 leaves it out.
    var spectrumWeight: Float = 0

    init(filters: TextureFilters, size: Int) {
        self.filters = filters
        self.size = size
        spectral = SpectralShares(size: size)
    }

    static let colourSlices = 32
    /// Directions per step for the 2-D gradient clouds.
    static let gradientSlices = 8

    /// Draws a step's directions (seeded) and projects the reference on them.
    func targets(_ reference: Reference, random: inout SeededRandom) -> Targets {
        let n = size * size
        let colour = SlicedWasserstein(target: reference.lab, dimension: 3,
                                       directions: (0..<(3 * Self.colourSlices)).map { _ in random.nextGaussian() }, count: n)
        var texture: [SlicedWasserstein?] = [], gradients: [SlicedWasserstein] = []
        var w = size, h = size
        for (s, features) in reference.features.enumerated() {
            if s > 0 { w /= 2; h /= 2 }
            if features.isEmpty {
                // A coarse level: its gradients only.
                guard w >= 2, h >= 2 else { break }
                texture.append(nil)
            } else {
                let positions = (w - filters.size + 1) * (h - filters.size + 1)
                guard positions > 0 else { break }
                let c = filters.channels
                texture.append(SlicedWasserstein(target: features, dimension: c,
                                                 directions: (0..<(c * c)).map { _ in random.nextGaussian() }, count: positions))
            }
            gradients.append(SlicedWasserstein(target: reference.gradients[s], dimension: 2,
                                               directions: (0..<(2 * Self.gradientSlices)).map { _ in random.nextGaussian() },
                                               count: (w - 1) * (h - 1)))
        }
        return Targets(colour: colour, texture: texture, gradients: gradients, energies: reference.energies,
                       spectrum: reference.spectrum)
    }

    struct Value {
        var colour: Double
        var texture: Double
        /// The energy-share term (`EnergyShares`), 0 unless it is weighted.
        var energy: Double
        /// The spectrum term (`SpectralShares`), 0 unless it is weighted.
        var spectrum: Double
        var total: Double
    }

    /// The loss of one render (`rgb`: [size² × 3] in 0…1) and, if `gradient` is given, d loss / d rgb.
    func evaluate(_ rgb: [Float], targets: Targets, gradient: inout [Float]?) -> Value {
        let n = size * size
        let lab = LabTransform.forward(rgb)
        var dLab = [Float](repeating: 0, count: lab.count)
        let colour = targets.colour.loss(lab, weight: colourWeight, gradient: &dLab)
        let planes = Self.planes(lab, pixels: n)
        let levels = filters.forward(planes, width: size, height: size)
        var texture = 0.0
        var dFeatures: [[Float]] = [], levelGradients: [[Float]] = [], dGradients: [[Float]] = []
        for (s, sw) in targets.texture.enumerated() where s < levels.count {
            let level = levels[s]
            var d = [Float](repeating: 0, count: level.features.count)
            if let sw, !level.features.isEmpty { texture += sw.loss(level.features, weight: textureWeight, gradient: &d) }
            dFeatures.append(d)
            let g = LuminanceGradients.forward(level.planes, width: level.width, height: level.height)
            var dg = [Float](repeating: 0, count: g.count)
            texture += targets.gradients[s].loss(g, weight: textureWeight, gradient: &dg)
            levelGradients.append(g)
            dGradients.append(dg)
        }
        var energy = 0.0
        if energyWeight > 0 {
            energy = EnergyShares.loss(levelGradients, reference: targets.energies, weight: energyWeight, into: &dGradients)
        }
        var spectrum = 0.0
        var dLuminance = [Float](repeating: 0, count: spectrumWeight > 0 ? n : 0)
        if spectrumWeight > 0 {
            spectrum = spectral.loss(Array(planes[0..<n]), reference: targets.spectrum, weight: spectrumWeight, into: &dLuminance)
        }
        if gradient != nil {
            let dLevelPlanes = dGradients.enumerated().map { s, dg in
                var dp = [Float](repeating: 0, count: levels[s].planes.count)
                LuminanceGradients.backward(dg, width: levels[s].width, height: levels[s].height, into: &dp)
                return dp
            }
            let dPlanes = filters.backward(Array(levels.prefix(dFeatures.count)), dFeatures: dFeatures, dPlanes: dLevelPlanes)
            for p in 0..<n {
                for c in 0..<3 { dLab[3 * p + c] += dPlanes[c * n + p] / 100 }
            }
            for p in dLuminance.indices { dLab[3 * p] += dLuminance[p] / 100 }
            gradient = LabTransform.backward(rgb, dLab: dLab)
        }
        return Value(colour: colour, texture: texture, energy: energy, spectrum: spectrum,
                     total: Double(colourWeight) * colour + Double(textureWeight) * texture + Double(energyWeight) * energy
                        + Double(spectrumWeight) * spectrum)
    }

    /// [n × 3] Lab → planar [3 × n] scaled by 1/100, the texture filters' input.
    static func planes(_ lab: [Float], pixels n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 3 * n)
        for p in 0..<n { for c in 0..<3 { out[c * n + p] = lab[3 * p + c] / 100 } }
        return out
    }
}
