import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, well-mixed 64-bit generator.
/// Everything in "the look" draws from this, never from the system RNG, so the same seed gives
/// the same bytes on every machine and every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for an independent sub-stream: `seed` mixed with a small label, so that
    /// e.g. the wander sinusoids and the pulse direction do not share (and shift) one sequence
    /// when one of them changes how many numbers it draws.
    public init(seed: UInt64, stream: UInt64) {
        state = SeededRandom.mix(seed ^ SeededRandom.mix(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    /// The SplitMix64 output function; also a good stateless 64-bit hash (used per pixel for grain).
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 24 bits, so every value is exactly representable.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [lo, hi).
    public mutating func nextFloat(in lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * nextFloat()
    }

    /// Standard normal, Box–Muller in Double (one value per call, the pair's second half is
    /// discarded so the stream position is simple to reason about).
    public mutating func nextGaussian() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
