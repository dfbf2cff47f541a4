/// The controller's fixed constants in one place. Times are in seconds, speeds per second, so
/// none of them depends on the frame rate. Not configurable from the Buildfile (the config's
/// `pulse`, `motion`, `smoothing` scale them); internal so tests can isolate one term.
struct ControllerTuning: Equatable, Sendable {
    // Anchor blend.
    /// Logit gain of the pitch-class match, times √loudness.
    var chromaGain: Float = 3
    /// Logit gain of the seeded timbre projection.
    var timbreGain: Float = 1.0
    var chromaSeconds = 0.6
    var timbreSeconds = 1.5

    // Wander: phase speed (radians of the seeded sinusoids per second).
    var wanderGain: Float = 0.8
    var wanderIdle: Float = 0.01
    var wanderLoudness: Float = 0.25
    var wanderBrightness: Float = 0.2
    var wanderOnset: Float = 0.4
    /// Phase added per beat (spread over `kickSeconds`).
    var wanderKick: Float = 0.4
    var kickSeconds = 0.3

    // Motion: speed = motion × (idle + harmonic gain × harmonic), bouncing at ±1.
    var motionIdle: Float = 0.02
    var motionHarmonic: Float = 1.2

    // Pulse: displacement = pulse × envelope(percussive) × seeded direction of this scale per component.
    var pulseScale: Float = 0.35
    var pulseAttack = 0.05
    var pulseRelease = 0.2

    // Smoothing: time constant = smoothing × (loud + (quiet − loud) × (1 − loudness)).
    var smoothingLoud = 0.06
    var smoothingQuiet = 0.66
    var loudnessSeconds = 0.25

    // Curves.
    var zoomLoudness: Float = 0.2
    var zoomPulse: Float = 0.15
    var spinIdle: Float = 0.015
    var spinHarmonic: Float = 0.25
    var hueSwing: Float = 0.08
    var huePaceIdle: Float = 0.01
    var huePaceBright: Float = 0.05
    var flashSeconds = 0.12
    var flashBeat: Float = 0.3
    var flashHit: Float = 0.35
    var accentSeconds = 2.0
    var contrastPulse: Float = 0.35
}
