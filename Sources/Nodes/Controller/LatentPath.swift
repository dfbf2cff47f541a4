/// The latent's terms after the anchor blend, frame by frame: wander and motion are added to
/// the blend, the sum is smoothed, and the pulse is added after smoothing.
///
/// - **wander**: seeded sinusoids of a phase whose speed follows loudness and brightness and
///   is kicked by onsets (continuously) and beats (an impulse that decays over `kickSeconds`).
/// - **motion**: accumulating, bouncing drift with speed ∝ `motion` × harmonic energy.
/// - **smoothing**: EMA whose time constant is `smoothing` × (0.06 s loud … 0.66 s silent).
/// - **pulse**: displacement ∝ `pulse` × percussive envelope along a fixed seeded direction;
///   never accumulated, so it snaps back when the drums stop.
struct LatentPath {
    let tuning: ControllerTuning
    let config: ControllerConfig
    let dt: Double
    let wander: Wander
    private var bouncing: BouncingMotion
    let pulseDirection: [Float]
    private var pulseEnvelope: Envelope
    let kickKeep: Float
    private var phase: Double = 0
    private var kick: Float = 0
    private var wanderValue: [Float]
    private var smoothed: [Float]

    init(config: ControllerConfig, tuning: ControllerTuning, draws: ControllerDraws, dt: Double) {
        let dim = config.latentDim
        self.tuning = tuning
        self.config = config
        self.dt = dt
        wander = draws.wander
        bouncing = draws.motion
        pulseDirection = draws.pulseDirection
        pulseEnvelope = Envelope(attack: tuning.pulseAttack, release: tuning.pulseRelease, dt: dt)
        kickKeep = TimeConstant.keep(tau: tuning.kickSeconds, dt: dt)
        wanderValue = [Float](repeating: 0, count: dim)
        smoothed = [Float](repeating: 0, count: dim)
    }

    /// Adds frame `i`'s wander and motion to `raw` (the blend).
    mutating func drift(frame i: Int, of rows: FeatureRows, into raw: inout [Float]) {
        let rms = rows.rms[i], centroid = rows.centroid[i], onset = rows.onset[i]
        // The beat impulse is integrated exactly over the frame (τ·(1−keep)), so its total
        // contribution is kickSeconds per beat at any frame rate.
        if rows.beats[i] { kick += 1 }
        let speed = tuning.wanderIdle + tuning.wanderLoudness * rms + tuning.wanderBrightness * rms * centroid + tuning.wanderOnset * onset
        phase += Double(speed) * dt + Double(tuning.wanderKick * kick) * tuning.kickSeconds * Double(1 - kickKeep)
        kick *= kickKeep
        wander.value(phase: phase, into: &wanderValue)
        let motion = Float(config.motion)
        bouncing.advance(speed: motion * (tuning.motionIdle + tuning.motionHarmonic * rows.harmonic[i]), dt: Float(dt))
        for d in 0..<raw.count { raw[d] += tuning.wanderGain * wanderValue[d] + bouncing.position[d] }
    }

    /// Smooths `raw` into the path (long in quiet passages, calm; short in loud ones,
    /// responsive), adds the pulse and writes the latent into `latent`. Returns the pulse
    /// envelope, which the curves follow too.
    mutating func emit(frame i: Int, raw: [Float], loudness: Float, percussive: Float, into latent: inout [Float], at offset: Int) -> Float {
        if i == 0 {
            smoothed = raw
        } else {
            let tau = config.smoothing * (tuning.smoothingLoud + (tuning.smoothingQuiet - tuning.smoothingLoud) * Double(1 - loudness))
            let alpha = TimeConstant.alpha(tau: tau, dt: dt)
            for d in 0..<smoothed.count { smoothed[d] += alpha * (raw[d] - smoothed[d]) }
        }
        // Added after smoothing so hits stay sharp.
        let env = pulseEnvelope.follow(percussive)
        let pulse = Float(config.pulse)
        for d in 0..<smoothed.count { latent[offset + d] = smoothed[d] + pulse * env * pulseDirection[d] }
        return env
    }
}
