/// One entry of the Buildfile's `styles:` list: how to fit a CPPN style to a reference image.
/// Every field is part of the `style:<name>` node's key (the reference through its content).
public struct StyleSettings: Codable, Equatable, Sendable {
    public var name: String
    /// The reference image (PNG, JPEG or WebP), relative to the Buildfile.
    public var reference: String
    public var hidden: Int = 32
    public var layers: Int = 4
    /// Adam steps.
    public var steps: Int = 400
    /// Side of the square renders the fit compares with the reference (shorter side scaled to it).
    public var size: Int = 96
    public var seed: Int = 1
    /// Must equal the tracks' `controller.latent_dim`.
    public var latentDim: Int = 8
    /// Latents rendered and compared per step (drawn from the controller's range, N(0, 1)).
    /// 8 rather than 4: each step's gradient then averages over more of the latent space the
    /// style must hold everywhere, which lowered the texture distance on the tuning images
    /// (median of two fitting seeds 0.78 → 0.69) for twice the fitting time (about a minute).
    public var batch: Int = 8
    /// Adam's learning rate at the start (cosine decay to a tenth at the end).
    public var rate: Double = 0.01
    /// Weight of the texture term against the colour term (both start at 1).
    public var texture: Double = 1.0
    /// Scale of the first layer's coordinate weights: its sines are random Fourier features
    /// (Tancik et al., NeurIPS 2020), and a higher value gives the fit finer detail to work with.
    /// Unset: chosen from the reference at the start of the fit (`FrequencyChoice`).
    public var frequency: Double?
    /// Scale of the hidden layers' weights against a random seed's: each sine layer adds
    /// harmonics of the frequencies below it in proportion, so a lower gain keeps the picture's
    /// structure near fewer scales. Unset: chosen from the reference (`GainChoice`): 0.8 when
    /// most of it is flat, else 1.
    public var gain: Double?
    /// Levels of the texture pyramid coarser than its four filtered ones (6 and 3 pixels at size
    /// 96), compared by their luminance gradients only: the image's layout at the scale of the
    /// whole frame. Unset: none.
    public var coarseLevels: Int?
    /// Weight of the energy-share term (`EnergyShares`: how the image's structure is shared out
    /// between the pyramid's scales, in logarithms) against the colour and texture terms, which
    /// both start at 1. Unset: left out.
    public var energy: Double?
    /// Weight of the spectrum term (`SpectralShares`: how the frame's luminance power is shared
    /// out over frequency and orientation, the reference's from windows over all of it) against
    /// the colour and texture terms, which all start at 1 times their weight; 0 leaves it out.
    /// With it, the power spectrum of the renders follows the reference's instead of a random
    /// seed's (the texture distance's ratio to random seeds', median over the nine benchmark
    /// images: 0.57 → 0.32).
    public var spectrum: Double = 1.0
    /// The fraction of the first layer's Fourier features turned to directions drawn from the
    /// reference's edges (`OrientationChoice`); the rest keep their seeded, isotropic directions.
    /// Unset: none.
    public var orientation: Double?

    public init(name: String, reference: String) {
        self.name = name
        self.reference = reference
    }

    /// The same settings with the values that mean "left out" (`coarse_levels: 0`, `energy: 0`,
    /// `orientation: 0`) stored as unset: they fit the same bytes, so they must share the unset
    /// entry's node key and style-file metadata instead of costing a needless refit. (`gain: 1` is
    /// not among them: unset, the gain is chosen from the reference.)
    func canonical() -> StyleSettings {
        var s = self
        if s.coarseLevels == 0 { s.coarseLevels = nil }
        if s.energy == 0 { s.energy = nil }
        if s.orientation == 0 { s.orientation = nil }
        return s
    }

    /// About how many bytes a fit holds while it runs: for each of a step's latents, its tape (the
    /// network's pre-activations and activations at every pixel, kept for the backward pass) and
    /// the loss's Lab planes, filter pyramid, spectrum transforms and their gradients (about 94
    /// floats a pixel).
    /// Measured peak resident size: 163 MB at the defaults (this estimate 121 MB, plus the
    /// process), 1.15 GB at size 192, hidden 64, layers 6 (this estimate 1.16 GB).
    var fitMemory: Double {
        let pixels = size * size
        let floats = Double(CPPNTape.floats(hidden: hidden, layers: layers, pixels: pixels)) + 94 * Double(pixels)
        return Double(batch) * floats * 4
    }

    /// The most a `styles:` entry may ask a fit to hold (`fitMemory`). Every key is in range on
    /// its own, but together they can ask for hundreds of gigabytes (size 512, hidden 256, 16
    /// layers, batch 64): refused when the Buildfile is read, with the entry's line, rather than
    /// met by the out-of-memory killer in the middle of a build. Fixed, not this machine's memory,
    /// so that a Buildfile is valid or not the same way on every machine that shares its cache.
    static let maximumFitMemory = 4.0 * 1024 * 1024 * 1024

    /// The keys an entry may have, with the range each accepts (name and reference are strings).
    static let ranges: [String: ClosedRange<Double>] = [
        "hidden": 1...256, "layers": 1...16, "steps": 1...100_000, "size": 16...512, "seed": 0...Double(Int32.max),
        "latent_dim": 1...512, "batch": 1...64, "rate": 1e-6...1, "texture": 0...100, "frequency": 0.01...100, "gain": 0.1...4,
        "coarse_levels": 0...4, "energy": 0...100, "orientation": 0...1, "spectrum": 0...100,
    ]
    static let integerKeys: Set<String> = ["hidden", "layers", "steps", "size", "seed", "latent_dim", "batch", "coarse_levels"]
}
