import Foundation

/// The per-frame camera and effect curves of a trajectory (`Controller.curveNames`): zoom,
/// rotation, hue, flash and contrast, with the state each carries from frame to frame.
struct EffectCurves {
    let tuning: ControllerTuning
    let pulse: Float
    let motion: Float
    let spin: Float
    let dt: Double
    let flashKeep: Float
    let slowLoudAlpha: Float
    private var angle: Double = 0
    private var huePhase: Double = 0
    private var flashEnvelope: Float = 0
    /// Loudness averaged over `tuning.accentSeconds`, against which accents are measured.
    private var slowLoud: Float

    struct Values {
        var zoom: Float
        var rotation: Float
        var hue: Float
        var flash: Float
        var contrast: Float
    }

    init(config: ControllerConfig, tuning: ControllerTuning, spin: Float, dt: Double, first rows: FeatureRows) {
        self.tuning = tuning
        pulse = Float(config.pulse)
        motion = Float(config.motion)
        self.spin = spin
        self.dt = dt
        flashKeep = TimeConstant.keep(tau: tuning.flashSeconds, dt: dt)
        slowLoudAlpha = TimeConstant.alpha(tau: tuning.accentSeconds, dt: dt)
        slowLoud = rows.count > 0 ? rows.rms[0] : 0
    }

    /// Frame `i`'s values, from the features, the smoothed `loudness` and the pulse envelope.
    mutating func next(frame i: Int, of rows: FeatureRows, loudness loud: Float, pulseEnvelope env: Float) -> Values {
        let harmonic = rows.harmonic[i], centroid = rows.centroid[i]
        angle += Double(spin * (tuning.spinIdle + tuning.spinHarmonic * motion * harmonic)) * dt
        huePhase += Double(tuning.huePaceIdle + tuning.huePaceBright * centroid * loud) * dt
        flashEnvelope = max(rows.beats[i] ? tuning.flashBeat : 0, onsetFlash(frame: i, of: rows), flashEnvelope * flashKeep)
        return Values(zoom: 1 + tuning.zoomLoudness * loud + tuning.zoomPulse * pulse * env,
                      rotation: Float(angle),
                      hue: tuning.hueSwing * Float(sin(2 * Double.pi * huePhase)),
                      flash: flashEnvelope,
                      contrast: 1 + tuning.contrastPulse * pulse * env)
    }

    /// The flash an onset drives on frame `i`: only on peaks of strong onsets (peak-picked, so a
    /// busy stretch does not hold it on). Normalised onsets saturate on every drum hit, so a hit
    /// alone flashes at `flashHit` and an *accent* — a hit where loudness jumps above its 2 s
    /// average, like a drop after a breakdown — flashes fully. Beats pump a little elsewhere; a
    /// full flash on every beat strobes.
    private mutating func onsetFlash(frame i: Int, of rows: FeatureRows) -> Float {
        let n = rows.count, onset = rows.onset[i], rms = rows.rms[i]
        let isPeak = onset >= (i > 0 ? rows.onset[i - 1] : 0) && onset > (i + 1 < n ? rows.onset[i + 1] : 0)
        let accent = smoothstep(0.05, 0.3, rms - slowLoud)
        let drive = isPeak ? smoothstep(0.6, 1.0, onset) * (tuning.flashHit + (1 - tuning.flashHit) * accent) : 0
        slowLoud += slowLoudAlpha * (rms - slowLoud)
        return drive
    }
}
