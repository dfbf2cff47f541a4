import Dispatch
import Foundation
import Graph

/// Fits CPPN weights to a reference image by gradient descent (Adam): each step renders the
/// network at `batch` latents drawn from N(0, I) — the range the controller's trajectories move
/// in — and lowers the colour, texture and spectrum distances of every render to the reference
/// (`StyleLoss`). Because every step sees new latents, the fitted style keeps moving with the
/// latent instead of freezing into one picture; the latent weights themselves stay at their
/// seeded values, so the latent's reach is that of a random seed of the same architecture.
///
/// Deterministic: every random draw comes from `SeededRandom` streams of (seed, step); the
/// latents of a step are computed in parallel but their gradients are summed in latent order,
/// so the bytes do not depend on the thread count.
public struct StyleFitter {
    public let settings: StyleSettings
    /// Bump when a fit with the same settings and reference gives different weights.
    /// 2: the first layer's frequency chosen from the reference (`FrequencyChoice`), a four-level
    /// texture pyramid, the gaussian's exponent floored at −64.
    /// 3: the hidden layers' gain, unless set, chosen from the reference's flat share (`GainChoice`).
    /// 4: the spectrum term (`SpectralShares`, weight `StyleSettings.spectrum`, 1 by default).
    public static let version = 4

    public init(settings: StyleSettings) {
        self.settings = settings
    }

    public struct Progress: Sendable {
        public var step: Int
        public var steps: Int
        public var loss: Double
    }

    public struct Result {
        let weights: CPPNWeights
        public let settings: StyleSettings
        /// The first layer's frequency scale the fit started from (the settings' or the chosen one).
        public let frequency: Double
        /// The hidden layers' gain the fit started from (the settings' or the chosen one).
        public let gain: Double
        /// Per step: colour and texture distance (unweighted), averaged over the step's latents.
        public let colour: [Double]
        public let texture: [Double]
        /// Per step, the energy-share term (`EnergyShares`); empty unless it is weighted.
        public let energy: [Double]
        /// Per step, the spectrum term (`SpectralShares`); empty unless it is weighted.
        public let spectrum: [Double]

        /// The fitted style through the frame kernel, as a track would render it.
        public func render(latent: [Float], width: Int, height: Int) -> RGBImage {
            CPPN(weights: weights).render(latent: latent[...], width: width, height: height)
        }

        /// The style file: the CPPN's tensors and architecture (what `generator.weights` reads),
        /// plus how it was made — the reference's SHA-256, the settings and the loss curves.
        public func styleFile(referenceSHA256: String) -> Safetensors {
            var file = weights.style
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys]
            func json(_ values: [Double]) -> String {
                "[" + values.map { String(format: "%.6g", $0) }.joined(separator: ",") + "]"
            }
            file.metadata["format"] = "ntsbuild-style/1"
            file.metadata["style"] = settings.name
            file.metadata["reference_sha256"] = referenceSHA256
            file.metadata["settings"] = (try? encoder.encode(settings)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
            file.metadata["fitter_version"] = String(StyleFitter.version)
            file.metadata["frequency"] = String(format: "%.6g", frequency)
            file.metadata["gain"] = String(format: "%.6g", gain)
            file.metadata["loss_colour"] = json(colour)
            file.metadata["loss_texture"] = json(texture)
            // Only when weighted, so a style without the term keeps the metadata it always had.
            if !energy.isEmpty { file.metadata["loss_energy"] = json(energy) }
            if !spectrum.isEmpty { file.metadata["loss_spectrum"] = json(spectrum) }
            return file
        }
    }

    /// The starting point: the seeded CPPN of this architecture, with the first layer's
    /// coordinate weights turned to `directions` (its first `directions.count` units) and scaled
    /// by `frequency`, and the hidden layers' weights scaled by the settings' `gain`.
    static func initialWeights(_ settings: StyleSettings, frequency: Double, directions: [(x: Float, y: Float)] = []) -> CPPNWeights {
        var w = CPPNWeights(hidden: settings.hidden, layers: settings.layers, latentDim: settings.latentDim,
                            seed: UInt64(settings.seed))
        w.coord = OrientationChoice.turn(w.coord, hidden: settings.hidden, to: directions)
        let f = Float(frequency)
        w.coord = w.coord.map { $0 * f }
        if let gain = settings.gain {
            let g = Float(gain)
            for i in 1..<w.weights.count { w.weights[i] = w.weights[i].map { $0 * g } }
        }
        return w
    }

    public func fit(reference image: RGBImage, progress: (Progress) -> Void = { _ in },
                    cancelled: () -> Bool = { false }) throws -> Result {
        var s = settings
        let size = s.size
        let coords = CoordinateCache.make(width: size, height: size)
        let filters = TextureFilters(coarseLevels: s.coarseLevels ?? 0, seed: UInt64(s.seed))
        var loss = StyleLoss(filters: filters, size: size)
        let reference = StyleLoss.Reference(image: image, filters: filters, spectral: loss.spectral)
        // The settings' gain, or one for how flat the reference is; the start (and the frequency
        // chosen for it) uses it, the style file's settings stay as written.
        let gain = s.gain ?? GainChoice.gain(for: reference)
        s.gain = gain
        loss.energyWeight = Float(s.energy ?? 0)
        // The first units' directions from the reference's edges, if asked for.
        let turnedUnits = Int((s.orientation ?? 0) * Double(s.hidden) + 0.5)
        let directions = turnedUnits == 0 ? [] : OrientationChoice.directions(reference, units: turnedUnits, seed: UInt64(s.seed)) ?? []
        // The settings' frequency, or one matched to the reference, on latents of their own stream.
        var chooser = SeededRandom(seed: UInt64(s.seed), stream: 0xF4E0)
        let frequency = s.frequency ?? FrequencyChoice.choose(
            reference, settings: s, filters: filters, coords: coords, directions: directions,
            latents: (0..<s.batch).map { _ in (0..<s.latentDim).map { _ in chooser.nextGaussian() } })
        var weights = Self.initialWeights(s, frequency: frequency, directions: directions)
        var parameters = weights.flattened
        var adam = Adam(count: parameters.count)
        let h = s.hidden
        let latentRange = (3 * h)..<(3 * h + s.latentDim * h)
        let tapes = (0..<s.batch).map { _ in CPPNTape(hidden: h, layers: s.layers, pixels: size * size) }

        var colours: [Double] = [], textures: [Double] = [], energies: [Double] = [], spectra: [Double] = []
        for step in 0..<s.steps {
            if cancelled() { throw GraphError.interrupted }
            var random = SeededRandom(seed: UInt64(s.seed), stream: 0x57E9_0000 &+ UInt64(step))
            let latents = (0..<s.batch).map { _ in (0..<s.latentDim).map { _ in random.nextGaussian() } }
            let targets = loss.targets(reference, random: &random)
            if step == 0 {
                // Both terms start at 1 (then `texture` sets their balance), whatever the image;
                // so does the spectrum term times its weight, if it is asked for.
                if s.spectrum > 0 { loss.spectrumWeight = 1 }
                let first = evaluate(weights, latents: latents, tapes: tapes, coords: coords, loss: loss, targets: targets, backward: false)
                let c = first.map(\.value.colour).reduce(0, +) / Double(s.batch)
                let t = first.map(\.value.texture).reduce(0, +) / Double(s.batch)
                loss.colourWeight = Float(1 / max(c, 1e-12))
                loss.textureWeight = Float(s.texture / max(t, 1e-12))
                if s.spectrum > 0 {
                    let p = first.map(\.value.spectrum).reduce(0, +) / Double(s.batch)
                    loss.spectrumWeight = Float(s.spectrum / max(p, 1e-12))
                }
            }
            let results = evaluate(weights, latents: latents, tapes: tapes, coords: coords, loss: loss, targets: targets, backward: true)
            var gradient = [Float](repeating: 0, count: parameters.count)
            for r in results { for i in gradient.indices { gradient[i] += r.gradient[i] } }
            let scale = 1 / Float(s.batch)
            for i in gradient.indices { gradient[i] *= scale }
            let progressFraction = Double(step) / Double(max(s.steps - 1, 1))
            let rate = Float(s.rate * (0.1 + 0.9 * 0.5 * (1 + cos(Double.pi * progressFraction))))
            adam.update(&parameters, gradient: gradient, rate: rate, frozen: latentRange)
            weights.assign(parameters)
            let colour = results.map(\.value.colour).reduce(0, +) / Double(s.batch)
            let texture = results.map(\.value.texture).reduce(0, +) / Double(s.batch)
            colours.append(colour)
            textures.append(texture)
            if loss.energyWeight > 0 { energies.append(results.map(\.value.energy).reduce(0, +) / Double(s.batch)) }
            if loss.spectrumWeight > 0 { spectra.append(results.map(\.value.spectrum).reduce(0, +) / Double(s.batch)) }
            progress(Progress(step: step + 1, steps: s.steps, loss: results.map(\.value.total).reduce(0, +) / Double(s.batch)))
        }
        return Result(weights: weights, settings: settings, frequency: frequency, gain: gain, colour: colours, texture: textures, energy: energies, spectrum: spectra)
    }

    private struct LatentResult {
        var value: StyleLoss.Value
        var gradient: [Float]
    }

    /// Each latent on its own thread into its own tape and gradient; returned in latent order.
    private func evaluate(_ weights: CPPNWeights, latents: [[Float]], tapes: [CPPNTape], coords: CoordinateCache.Planes,
                          loss: StyleLoss, targets: StyleLoss.Targets, backward: Bool) -> [LatentResult] {
        let slots = UnsafeMutableBufferPointer<LatentResult?>.allocate(capacity: latents.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: latents.count) { b in
            let tape = tapes[b]
            tape.forward(weights, coordinates: coords.values, stride: coords.stride, latent: latents[b])
            var dRGB: [Float]? = backward ? [] : nil
            let value = loss.evaluate(tape.rgb, targets: targets, gradient: &dRGB)
            var gradient = weights.zeros()
            if let dRGB {
                tape.backward(weights, coordinates: coords.values, stride: coords.stride, latent: latents[b], dRGB: dRGB, into: &gradient)
            }
            slots[b] = LatentResult(value: value, gradient: backward ? gradient.flattened : [])
        }
        return slots.map { $0! }
    }
}
