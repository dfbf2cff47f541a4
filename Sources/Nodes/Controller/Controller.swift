import Foundation

/// Features → latent trajectory, plus per-frame camera/effect curves.
///
/// Per frame the latent is
///
///     latent = EMA_adaptive( blend(anchors; chroma, features) + wanderGain·wander(phase) + motion ) + pulse·env(percussive)·pulseDir
///
/// - **blend**: softmax over the K anchors. Each anchor is tuned to a pitch class (a cosine
///   profile around the chroma circle), so the harmony steers which anchors dominate; a seeded
///   projection of loudness/brightness/noisiness/harmonic energy (1.5 s averages) adds timbre.
///   The chroma part (chroma averaged over 0.6 s) is gated by loudness, since chroma of
///   near-silence is noise. The blend is divided by √Σw², which keeps a mixture of
///   standard-normal anchors standard-normal in scale (a plain average of many anchors would
///   shrink towards the origin and wash the image out).
/// - **wander**: seeded sinusoids of a phase whose speed follows loudness and brightness and
///   is kicked by onsets (continuously) and beats (an impulse that decays over 0.3 s).
///
/// The constants live in `ControllerTuning`.
/// - **motion**: accumulating, bouncing drift with speed ∝ `motion` × harmonic energy.
/// - **pulse**: displacement ∝ `pulse` × percussive envelope along a fixed seeded direction;
///   added after smoothing and not accumulated, so it snaps back when the drums stop.
/// - **smoothing**: EMA whose time constant is `smoothing` × (0.06 s loud … 0.66 s silent).
///
/// Every time constant is in seconds and converted with the frame rate, so trajectories at
/// 30 and 60 fps agree at equal times. All randomness comes from `wanderSeed`.
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

        let f = try FeatureRows(features)
        let n = f.count
        let k = anchors.count
        let dt = 1.0 / Double(fps)
        let dtf = Float(dt)
        let seed = UInt64(bitPattern: Int64(config.wanderSeed))
        let pulse = Float(config.pulse), motion = Float(config.motion)

        // Seeded, fixed per trajectory.
        let wander = Wander(dim: dim, seed: seed)
        var bouncing = BouncingMotion(dim: dim, seed: seed)
        var rng = SeededRandom(seed: seed, stream: 0x9017)
        let pulseDirection = (0..<dim).map { _ in tuning.pulseScale * rng.nextGaussian() }
        let timbre = (0..<k).map { _ in (0..<4).map { _ in rng.nextGaussian() } }
        let spin: Float = rng.nextFloat() < 0.5 ? -1 : 1
        let profiles = (0..<k).map { a in
            (0..<12).map { p in Float(cos(2 * Double.pi * (Double(p) - 12 * Double(a) / Double(k)) / 12)) }
        }

        // Time constants (seconds).
        let loudAlpha = TimeConstant.alpha(tau: tuning.loudnessSeconds, dt: dt)
        let kickTau = tuning.kickSeconds
        let kickKeep = TimeConstant.keep(tau: kickTau, dt: dt)
        let flashKeep = TimeConstant.keep(tau: tuning.flashSeconds, dt: dt)
        var pulseEnv = Envelope(attack: tuning.pulseAttack, release: tuning.pulseRelease, dt: dt)

        var latent = [Float](repeating: 0, count: n * dim)
        var weightsOut = [Float](repeating: 0, count: n * k)
        var zoom = [Float](repeating: 1, count: n), rotation = [Float](repeating: 0, count: n)
        var hue = [Float](repeating: 0, count: n), flash = [Float](repeating: 0, count: n)
        var contrast = [Float](repeating: 1, count: n)

        var loud: Float = n > 0 ? f.rms[0] : 0
        var slowLoud: Float = loud
        let slowLoudAlpha = TimeConstant.alpha(tau: tuning.accentSeconds, dt: dt)
        let timbreAlpha = TimeConstant.alpha(tau: tuning.timbreSeconds, dt: dt)
        let chromaAlpha = TimeConstant.alpha(tau: tuning.chromaSeconds, dt: dt)
        var chroma = n > 0 ? Array(f.chroma[0..<12]) : [Float](repeating: 0, count: 12)
        var timbreInput: [Float] = n > 0 ? [f.rms[0], f.centroid[0], f.flatness[0], f.harmonic[0]] : [0, 0, 0, 0]
        var phase: Double = 0, kick: Float = 0
        var angle: Double = 0, huePhase: Double = 0
        var flashEnv: Float = 0
        var smoothed = [Float](repeating: 0, count: dim)
        var raw = [Float](repeating: 0, count: dim)
        var wanderValue = [Float](repeating: 0, count: dim)
        var logits = [Float](repeating: 0, count: k)

        for i in 0..<n {
            let rms = f.rms[i], onset = f.onset[i], centroid = f.centroid[i]
            let harmonic = f.harmonic[i], percussive = f.percussive[i], flatness = f.flatness[i]
            loud += loudAlpha * (rms - loud)

            // Anchor blend.
            // Chroma is averaged (tuning.chromaSeconds) first: frame chroma is noisy, and a chord change
            // should morph the picture over about a second, not cut it.
            for p in 0..<12 { chroma[p] += chromaAlpha * (f.chroma[i * 12 + p] - chroma[p]) }
            let chromaSum = max(chroma.reduce(0, +), 1e-6)
            let chromaGain = tuning.chromaGain * loud.squareRoot()
            // Timbre from slow (tuning.timbreSeconds) averages: the blend should follow the passage's character,
            // not jump on every drum hit (that is the pulse's job).
            for (j, v) in [rms, centroid, flatness, harmonic].enumerated() { timbreInput[j] += timbreAlpha * (v - timbreInput[j]) }
            var maxLogit = -Float.infinity
            for a in 0..<k {
                var c: Float = 0
                for p in 0..<12 { c += profiles[a][p] * chroma[p] }
                var t: Float = 0
                for j in 0..<4 { t += timbre[a][j] * timbreInput[j] }
                logits[a] = chromaGain * c / chromaSum + tuning.timbreGain * t
                maxLogit = max(maxLogit, logits[a])
            }
            var total: Float = 0
            for a in 0..<k { logits[a] = exp(logits[a] - maxLogit); total += logits[a] }
            var sumSquares: Float = 0
            for a in 0..<k {
                logits[a] /= total
                sumSquares += logits[a] * logits[a]
                weightsOut[i * k + a] = logits[a]
            }
            let norm = 1 / sumSquares.squareRoot()
            for d in 0..<dim { raw[d] = 0 }
            for a in 0..<k {
                let w = logits[a] * norm
                for d in 0..<dim { raw[d] += w * anchors[a][d] }
            }

            // Wander: the beat impulse is integrated exactly over the frame (τ·(1−keep)), so its
            // total contribution is kickTau per beat at any frame rate.
            if f.beats[i] { kick += 1 }
            let speed = tuning.wanderIdle + tuning.wanderLoudness * rms + tuning.wanderBrightness * rms * centroid + tuning.wanderOnset * onset
            phase += Double(speed) * dt + Double(tuning.wanderKick * kick) * kickTau * Double(1 - kickKeep)
            kick *= kickKeep
            wander.value(phase: phase, into: &wanderValue)

            // Motion.
            bouncing.advance(speed: motion * (tuning.motionIdle + tuning.motionHarmonic * harmonic), dt: dtf)

            for d in 0..<dim { raw[d] += tuning.wanderGain * wanderValue[d] + bouncing.position[d] }

            // Adaptive smoothing: long in quiet passages (calm), short in loud ones (responsive).
            if i == 0 {
                smoothed = raw
            } else {
                let tau = config.smoothing * (tuning.smoothingLoud + (tuning.smoothingQuiet - tuning.smoothingLoud) * Double(1 - loud))
                let alpha = TimeConstant.alpha(tau: tau, dt: dt)
                for d in 0..<dim { smoothed[d] += alpha * (raw[d] - smoothed[d]) }
            }

            // Pulse: added after smoothing so hits stay sharp; never accumulated.
            let env = pulseEnv.follow(percussive)
            for d in 0..<dim { latent[i * dim + d] = smoothed[d] + pulse * env * pulseDirection[d] }

            // Curves.
            zoom[i] = 1 + tuning.zoomLoudness * loud + tuning.zoomPulse * pulse * env
            angle += Double(spin * (tuning.spinIdle + tuning.spinHarmonic * motion * harmonic)) * dt
            rotation[i] = Float(angle)
            huePhase += Double(tuning.huePaceIdle + tuning.huePaceBright * centroid * loud) * dt
            hue[i] = tuning.hueSwing * Float(sin(2 * Double.pi * huePhase))
            // Flash on peaks of strong onsets (peak-picked, so a busy stretch does not hold it on).
            // Normalised onsets saturate on every drum hit, so a hit alone flashes at 0.35 and
            // an *accent* — a hit where loudness jumps above its 2 s average, like a drop after a
            // breakdown — flashes fully. Beats pump a little; a full flash on every beat strobes.
            let isPeak = onset >= (i > 0 ? f.onset[i - 1] : 0) && onset > (i + 1 < n ? f.onset[i + 1] : 0)
            let accent = smoothstep(0.05, 0.3, rms - slowLoud)
            let onsetDrive = isPeak ? smoothstep(0.6, 1.0, onset) * (tuning.flashHit + (1 - tuning.flashHit) * accent) : 0
            slowLoud += slowLoudAlpha * (rms - slowLoud)
            flashEnv = max(f.beats[i] ? tuning.flashBeat : 0, onsetDrive, flashEnv * flashKeep)
            flash[i] = flashEnv
            contrast[i] = 1 + tuning.contrastPulse * pulse * env
        }

        var out = Safetensors()
        out.tensors["latent"] = Tensor(shape: [n, dim], data: latent)
        out.tensors["anchor_weights"] = Tensor(shape: [n, k], data: weightsOut)
        out.tensors["zoom"] = Tensor(shape: [n], data: zoom)
        out.tensors["rotation"] = Tensor(shape: [n], data: rotation)
        out.tensors["hue"] = Tensor(shape: [n], data: hue)
        out.tensors["flash"] = Tensor(shape: [n], data: flash)
        out.tensors["contrast"] = Tensor(shape: [n], data: contrast)
        out.metadata = [
            "controller_version": String(Controller.version),
            "fps": String(fps),
            "latent_dim": String(dim),
            "anchors": String(k),
        ]
        return out
    }
}

@inline(__always)
func smoothstep(_ lo: Float, _ hi: Float, _ x: Float) -> Float {
    let t = min(max((x - lo) / (hi - lo), 0), 1)
    return t * t * (3 - 2 * t)
}
