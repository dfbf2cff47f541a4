import Foundation

/// Frame-rate independent smoothing: an exponential moving average specified by its time
/// constant in seconds, not by a per-frame factor. `alpha = 1 - exp(-dt / tau)` is the exact
/// discrete form of a first-order low-pass, so 30 fps and 60 fps follow the same curve over time.
enum TimeConstant {
    @inline(__always)
    static func alpha(tau: Double, dt: Double) -> Float {
        tau <= 1e-9 ? 1 : Float(1 - exp(-dt / tau))
    }

    /// The per-frame decay factor of a quantity that falls by e every `tau` seconds.
    @inline(__always)
    static func keep(tau: Double, dt: Double) -> Float {
        tau <= 1e-9 ? 0 : Float(exp(-dt / tau))
    }
}

/// The wander term: each latent component is a sum of seeded sinusoids of a shared *phase*.
/// The controller advances the phase at an audio-driven speed, so the path through latent
/// space is fixed by the seed and only the pace follows the music. Randomness is spent once,
/// at construction — never per frame — which is what keeps 30 and 60 fps on the same path.
struct Wander {
    static let partials = 3
    /// [dim][partials]
    let amplitude: [[Float]]
    let frequency: [[Float]]
    let offset: [[Float]]

    init(dim: Int, seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: 0x3A4D)
        var a: [[Float]] = [], f: [[Float]] = [], o: [[Float]] = []
        for _ in 0..<dim {
            // Incommensurate frequencies, so the path does not visibly repeat.
            a.append((0..<Wander.partials).map { j in rng.nextFloat(in: 0.5, 1.0) / Float(j + 1) })
            f.append((0..<Wander.partials).map { j in rng.nextFloat(in: 0.6, 1.4) * Float(j + 1) * 0.5 })
            o.append((0..<Wander.partials).map { _ in rng.nextFloat(in: 0, 2 * .pi) })
        }
        // Normalise so each component has RMS ≈ 1/√2 (the RMS of a unit sine) across time.
        for d in 0..<dim {
            let energy = a[d].reduce(0) { $0 + $1 * $1 }
            let scale = (1 / energy.squareRoot())
            a[d] = a[d].map { $0 * scale }
        }
        amplitude = a
        frequency = f
        offset = o
    }

    func value(phase: Double, into out: inout [Float]) {
        for d in 0..<out.count {
            var v: Double = 0
            for j in 0..<Wander.partials {
                v += Double(amplitude[d][j]) * sin(Double(frequency[d][j]) * phase + Double(offset[d][j]))
            }
            out[d] = Float(v)
        }
    }
}

/// The motion term (after Lucid Sonic Dreams): a position that drifts with a velocity whose
/// size follows harmonic energy. It accumulates — a sustained chord carries the image far —
/// and reflects off ±`bound` per component so it never runs away from the anchors.
struct BouncingMotion {
    let bound: Float = 1.0
    var position: [Float]
    var direction: [Float]

    init(dim: Int, seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: 0x6D07)
        position = (0..<dim).map { _ in rng.nextFloat(in: -0.5, 0.5) }
        direction = (0..<dim).map { _ in
            let magnitude = rng.nextFloat(in: 0.4, 1.0)
            return rng.nextFloat() < 0.5 ? -magnitude : magnitude
        }
    }

    /// Moves by `speed * dt` along the direction; a component that crosses a bound is folded
    /// back inside by the overshoot and its direction flips (an exact reflection, so larger
    /// frames do not lose distance).
    mutating func advance(speed: Float, dt: Float) {
        for d in 0..<position.count {
            var p = position[d] + direction[d] * speed * dt
            // A loop, not an if: a huge step could cross both bounds.
            var guardCount = 0
            while (p > bound || p < -bound) && guardCount < 8 {
                p = p > bound ? 2 * bound - p : -2 * bound - p
                direction[d] = -direction[d]
                guardCount += 1
            }
            position[d] = min(max(p, -bound), bound)
        }
    }
}

/// An envelope follower with separate attack and release time constants (seconds).
struct Envelope {
    let attack: Float
    let release: Float
    var value: Float = 0

    init(attack: Double, release: Double, dt: Double) {
        self.attack = TimeConstant.alpha(tau: attack, dt: dt)
        self.release = TimeConstant.alpha(tau: release, dt: dt)
    }

    mutating func follow(_ target: Float) -> Float {
        value += (target > value ? attack : release) * (target - value)
        return value
    }
}

/// 0 below `lo`, 1 above `hi`, a smooth cubic between (GLSL's smoothstep). Shared with the
/// post-effects' vignette.
@inline(__always)
func smoothstep(_ lo: Float, _ hi: Float, _ x: Float) -> Float {
    let t = min(max((x - lo) / (hi - lo), 0), 1)
    return t * t * (3 - 2 * t)
}
