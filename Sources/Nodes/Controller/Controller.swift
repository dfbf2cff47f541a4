import Foundation

/// Features → latent trajectory, plus per-frame camera/effect curves.
///
/// Per frame the latent is
///
///     latent = EMA_adaptive( blend(anchors; chroma, features) + wanderGain·wander(phase) + motion ) + pulse·env(percussive)·pulseDir
///
/// - **blend** (`AnchorBlend`): softmax over the K anchors, steered by the harmony and by a
///   seeded projection of timbre, gated by loudness.
/// - **wander**, **motion**, **smoothing** and **pulse** (`LatentPath`): seeded sinusoids of
///   an audio-paced phase; bouncing drift ∝ `motion` × harmonic energy; an EMA whose time
///   constant is `smoothing` × (0.06 s loud … 0.66 s silent); a displacement ∝ `pulse` ×
///   percussive envelope, added after smoothing so it snaps back when the drums stop.
/// - **curves** (`EffectCurves`): zoom, rotation, hue, flash and contrast.
///
/// The constants live in `ControllerTuning`. Every time constant is in seconds and converted
/// with the frame rate, so trajectories at 30 and 60 fps agree at equal times. All randomness
/// comes from `wanderSeed` (`ControllerDraws`).
public struct Controller: Sendable {
    /// Bump when the trajectory for the same inputs changes.
    public static let version = 2

    public let config: ControllerConfig
    public let anchors: [[Float]]
    public let fps: Int
    var tuning = ControllerTuning()

    public init(config: ControllerConfig, anchors: [[Float]], fps: Int) {
        self.config = config
        self.anchors = anchors
        self.fps = fps
    }

    /// Output tensors, each with one row per feature row (N):
    /// - `latent` [N, latentDim]: the generator input.
    /// - `zoom` [N]: camera scale ≥ 1 (1 = as rendered; 1.2 = 20 % closer). Grows with loudness and pulse.
    /// - `rotation` [N]: camera angle in radians, accumulated (slow spin, faster with harmonic
    ///   energy × motion). Unbounded; use it modulo 2π.
    /// - `hue` [N]: hue rotation in turns, within ±0.08 (±29°): a slow swing whose pace follows
    ///   loud, bright passages. Bounded so a preset keeps its palette over a whole track.
    /// - `flash` [N]: [0, 1] envelope, 0.35 on onset peaks, up to 1 on accents (onsets where loudness jumps), 0.3 on beats; 0.12 s decay; post-effects scale it by `postfx.flash`.
    /// - `contrast` [N]: contrast multiplier around mid-grey, 1 … 1 + 0.35·pulse, on percussive hits.
    /// - `anchor_weights` [N, K]: the softmax blend weights (for plots).
    public static let curveNames = ["zoom", "rotation", "hue", "flash", "contrast"]

    public func trajectory(features: Safetensors) throws -> Safetensors {
        try validate()
        let rows = try FeatureRows(features)
        let dim = config.latentDim
        let dt = 1.0 / Double(fps)
        let draws = ControllerDraws(dim: dim, anchorCount: anchors.count, seed: UInt64(bitPattern: Int64(config.wanderSeed)),
                                    pulseScale: tuning.pulseScale)
        var blend = AnchorBlend(anchors: anchors, timbre: draws.timbre, tuning: tuning, dt: dt, first: rows)
        var path = LatentPath(config: config, tuning: tuning, draws: draws, dt: dt)
        var curves = EffectCurves(config: config, tuning: tuning, spin: draws.spin, dt: dt, first: rows)
        var out = TrajectoryTensors(frames: rows.count, dim: dim, anchorCount: anchors.count)
        // Loudness over `loudnessSeconds`: it gates the chroma, sets the smoothing, drives zoom and hue.
        let loudAlpha = TimeConstant.alpha(tau: tuning.loudnessSeconds, dt: dt)
        var loud: Float = rows.count > 0 ? rows.rms[0] : 0
        var raw = [Float](repeating: 0, count: dim)
        for i in 0..<rows.count {
            loud += loudAlpha * (rows.rms[i] - loud)
            blend.mix(frame: i, of: rows, loudness: loud, into: &raw)
            path.drift(frame: i, of: rows, into: &raw)
            let env = path.emit(frame: i, raw: raw, loudness: loud, percussive: rows.percussive[i], into: &out.latent, at: i * dim)
            out.record(frame: i, weights: blend.weights, curves: curves.next(frame: i, of: rows, loudness: loud, pulseEnvelope: env))
        }
        return out.safetensors(fps: fps)
    }

    /// Throws naming the config key a trajectory cannot be made with.
    func validate() throws {
        let dim = config.latentDim
        guard dim >= 1 else { throw ControllerError.invalidConfig(key: "controller.latent_dim", reason: "must be at least 1, got \(dim)") }
        guard fps >= 1 else { throw ControllerError.invalidConfig(key: "output.fps", reason: "must be at least 1, got \(fps)") }
        guard !anchors.isEmpty else { throw ControllerError.invalidConfig(key: "controller.anchors", reason: "no anchor latents") }
        for (i, a) in anchors.enumerated() where a.count != dim {
            throw ControllerError.invalidConfig(key: "controller.anchors", reason: "anchor \(i) has \(a.count) values, controller.latent_dim is \(dim)")
        }
        for key in ["pulse", "motion", "smoothing"] {
            let v = key == "pulse" ? config.pulse : key == "motion" ? config.motion : config.smoothing
            guard v.isFinite, v >= 0 else { throw ControllerError.invalidConfig(key: "controller.\(key)", reason: "must be a finite number ≥ 0, got \(v)") }
        }
    }
}
