/// Everything random in a trajectory, drawn once from the wander seed before the first frame
/// (never per frame, which keeps 30 and 60 fps on the same path).
///
/// Wander and motion draw from streams of their own; pulse direction, timbre projection and
/// spin share one stream, in that order: reordering them would change every trajectory.
struct ControllerDraws {
    let wander: Wander
    let motion: BouncingMotion
    /// [dim]: the direction the pulse pushes the latent, `tuning.pulseScale` per component.
    let pulseDirection: [Float]
    /// [K][4]: each anchor's response to rms, centroid, flatness and harmonic energy.
    let timbre: [[Float]]
    /// ±1: the direction the camera turns.
    let spin: Float

    init(dim: Int, anchorCount: Int, seed: UInt64, pulseScale: Float) {
        wander = Wander(dim: dim, seed: seed)
        motion = BouncingMotion(dim: dim, seed: seed)
        var rng = SeededRandom(seed: seed, stream: 0x9017)
        pulseDirection = (0..<dim).map { _ in pulseScale * rng.nextGaussian() }
        timbre = (0..<anchorCount).map { _ in (0..<4).map { _ in rng.nextGaussian() } }
        spin = rng.nextFloat() < 0.5 ? -1 : 1
    }
}
