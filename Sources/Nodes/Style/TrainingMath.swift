/// sin, exp and tanh for style fitting's forward and backward passes, as plain multiply-adds
/// (no fused operations, no libm): loops over them vectorise on the baseline x86-64 target, and
/// the results are the same bits on every CPU, which libm's per-CPU variants (`__sinf_fma`, …)
/// do not promise. Absolute error ≈ 1e-6, far below what a gradient step notices.
enum TrainingMath {
    /// 1.5 · 2²³: adding and subtracting it rounds to the nearest integer; the sum's lowest
    /// mantissa bit is that integer's parity.
    private static let magic: Float = 12_582_912
    private static let piHigh: Float = 3.140625
    private static let piLow: Float = 9.676535897932e-4

    @inline(__always) static func sin(_ value: Float) -> Float {
        let v = value > 1e6 ? 1e6 : (value < -1e6 ? -1e6 : (value == value ? value : 0))
        let shifted = v * 0.31830988618 + magic
        let q = shifted - magic
        // r = v - qπ in [-π/2, π/2], π in two parts so large q loses little.
        let r = (v - q * piHigh) - q * piLow
        let r2 = r * r
        var p: Float = -1.8363654e-4
        p = p * r2 + 8.3063252e-3
        p = p * r2 - 1.6664828e-1
        p = p * r2 + 9.9999662e-1
        let s = r * p
        return Float(bitPattern: s.bitPattern ^ (shifted.bitPattern << 31))
    }

    @inline(__always) static func cos(_ value: Float) -> Float { sin(value + 1.57079632679) }

    /// e^v; 0 below about -87, saturating above 88.
    @inline(__always) static func exp(_ value: Float) -> Float {
        exp2(value * 1.442695041, floor: -126)
    }

    /// The gaussian activation e^(-v²), its exponent floored at −64 (≈ 5·10⁻²⁰) as the frame
    /// kernel's is (`FastMath.gaussianFloor`): values near 2⁻¹²⁶ are subnormal floats after the
    /// next layer's multiply, and subnormal arithmetic slowed fitting as it slowed rendering.
    @inline(__always) static func gaussian(_ value: Float) -> Float {
        exp2(value * value * -1.442695041, floor: -64)
    }

    /// 2^t for t in [floor, 127] (clamped; NaN → 1).
    @inline(__always) private static func exp2(_ value: Float, floor: Float) -> Float {
        let t = value > 127 ? 127 : (value < floor ? floor : (value == value ? value : 0))
        let shifted = t + magic
        let f = t - (shifted - magic)
        var p: Float = 9.5701597e-3
        p = p * f + 5.5917867e-2
        p = p * f + 2.4024743e-1
        p = p * f + 6.9312181e-1
        p = p * f + 9.9999926e-1
        let scale = Float(bitPattern: (shifted.bitPattern &+ (127 &- magic.bitPattern)) << 23)
        return p * scale
    }

    @inline(__always) static func tanh(_ value: Float) -> Float {
        let v = value > 9 ? 9 : (value < -9 ? -9 : value)
        return 1 - 2 / (exp(2 * v) + 1)
    }

    @inline(__always) static func sigmoid(_ value: Float) -> Float { 1 / (1 + exp(-value)) }
}
