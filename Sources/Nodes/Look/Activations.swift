/// Vectorisable activation functions for the CPPN.
///
/// The libm `sin`/`exp` are scalar calls (~10–20 ns each) and a 640×360 frame with 32 hidden
/// units needs ~30 M of them; these loops are branch-free polynomial approximations that LLVM
/// turns into SIMD code even for the baseline x86-64 (SSE2) target, so they cost ~1 ns. Being
/// our own code, they also give the same bits everywhere (no libm differences between hosts).
/// Accuracy (~1e-6 absolute) is far below one 8-bit colour step.
public enum Activation: String, CaseIterable, Sendable {
    case sin, cos, gaussian, tanh

    /// The cycle the hidden layers use, layer i taking `cycle[i % 4]`.
    public static let cycle: [Activation] = [.sin, .cos, .gaussian, .tanh]

    /// `x[p*width + j] = f(x[p*width + j] + bias[j])` for every row p.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, bias: UnsafePointer<Float>, width: Int) {
        for p in 0..<rows {
            let row = x + p * width
            switch self {
            case .sin: FastMath.sin(row, bias, width, phase: 0)
            case .cos: FastMath.sin(row, bias, width, phase: .pi / 2)
            case .gaussian: FastMath.gaussian(row, bias, width)
            case .tanh: FastMath.tanh(row, bias, width)
            }
        }
    }
}

enum FastMath {
    /// 1.5 · 2²³: adding and subtracting it rounds a float to the nearest integer (ties to
    /// even) without a conversion instruction, and the sum's low mantissa bits hold the integer.
    static let magic: Float = 12_582_912
    static let magicBits: UInt32 = magic.bitPattern

    /// x[j] = sin(x[j] + bias[j] + phase)
    @inline(__always)
    static func sin(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int, phase: Float) {
        for j in 0..<n {
            // Clamp so the quotient stays far inside the magic-number range.
            let v = min(max(x[j] + bias[j] + phase, -100_000), 100_000)
            let shifted = v * (1 / Float.pi) + magic
            let q = shifted - magic
            // sin(v) = (-1)^q · sin(v - qπ), with v - qπ in [-π/2, π/2]; π split in two parts
            // (Cody–Waite) so the reduction stays accurate for larger |v|.
            var r = v - q * 3.140625
            r = r - q * 9.676535897932e-4
            let r2 = r * r
            // Minimax-style odd polynomial for sin on [-π/2, π/2] (max error ~2e-7).
            var s: Float = -2.3889859e-08
            s = s * r2 + 2.7525562e-06
            s = s * r2 - 1.9840874e-04
            s = s * r2 + 8.3333310e-03
            s = s * r2 - 1.6666667e-01
            s = r + r * r2 * s
            let sign = (shifted.bitPattern & 1) &<< 31
            x[j] = Float(bitPattern: s.bitPattern ^ sign)
        }
    }

    /// e^v for v ≤ 88, flushing to 0 below -87. Range reduction v = n·ln2 + f, |f| ≤ ln2/2,
    /// then a degree-6 polynomial for e^f and the exponent bits set directly.
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        let v = min(max(value, -87), 88)
        let shifted = v * 1.442695041 + magic
        let n = shifted - magic
        var f = v - n * 0.693145751953125
        f = f - n * 1.428606765330187e-06
        var p: Float = 1.3888889e-3
        p = p * f + 8.3333333e-3
        p = p * f + 4.1666667e-2
        p = p * f + 1.6666667e-1
        p = p * f + 0.5
        p = p * f + 1
        p = p * f + 1
        let scaleBits = (shifted.bitPattern &- magicBits &+ 127) &<< 23
        return p * Float(bitPattern: scaleBits)
    }

    /// x[j] = exp(-(x[j] + bias[j])²)
    @inline(__always)
    static func gaussian(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        for j in 0..<n {
            let v = x[j] + bias[j]
            x[j] = exp(-(v * v))
        }
    }

    /// x[j] = tanh(x[j] + bias[j]) = 1 - 2 / (e^{2v} + 1)
    @inline(__always)
    static func tanh(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        for j in 0..<n {
            let v = min(max(x[j] + bias[j], -9), 9)
            x[j] = 1 - 2 / (exp(2 * v) + 1)
        }
    }

    /// 1 / (1 + e^{-v})
    @inline(__always)
    static func sigmoid(_ v: Float) -> Float {
        1 / (1 + exp(-v))
    }
}
