/// The scalar definition of the activations: the reference the C kernels (CLookKernels) are
/// tested against bit for bit, and the place the maths is explained. Test-only: the product
/// renders through the kernels.
enum FastMath {
    /// 1.5 · 2²³: adding and subtracting it rounds a float to the nearest integer (ties to
    /// even) without a conversion instruction, and the sum's low mantissa bits hold the integer.
    static let magic: Float = 12_582_912
    static let magicBits: UInt32 = magic.bitPattern

    /// Clamps written as the compare-selects that map one-to-one onto `minps`/`maxps`
    /// (`Swift.min`/`max` have NaN-ordering semantics that cost extra instructions).
    @inline(__always) static func lower(_ v: Float, _ hi: Float) -> Float { v < hi ? v : hi }
    @inline(__always) static func upper(_ v: Float, _ lo: Float) -> Float { v > lo ? v : lo }

    /// x[j] = sin(x[j] + bias[j])
    @inline(__always)
    static func sin(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        for j in 0..<n { x[j] = sin(x[j] + bias[j]) }
    }

    /// sin(v). `addingProduct` is a fused multiply-add (one rounding), as the C kernels' FMA.
    @inline(__always)
    static func sin(_ value: Float) -> Float {
        // Clamp so the quotient stays far inside the magic-number range (it also maps NaN to a number).
        let v = upper(lower(value, 1_000_000), -1_000_000)
        let shifted = magic.addingProduct(v, 1 / Float.pi)
        let q = shifted - magic
        // sin(v) = (-1)^q · sin(v - qπ), with v - qπ in [-π/2, π/2].
        let r = v.addingProduct(-q, Float.pi)
        let r2 = r * r
        // Near-minimax odd polynomial on [-π/2, π/2], max error 6e-7.
        var p: Float = -1.8363654e-4
        p = Float(8.3063252e-3).addingProduct(p, r2)
        p = Float(-1.6664828e-1).addingProduct(p, r2)
        p = Float(9.9999662e-1).addingProduct(p, r2)
        let s = r * p
        // The rounded quotient's parity is the lowest mantissa bit of `shifted`.
        return Float(bitPattern: s.bitPattern ^ (shifted.bitPattern &<< 31))
    }

    /// out[p*width + j] = sin(bias[j] + x·wx[j] + y·wy[j] + r·wr[j]) for the (x, y, r) of row p,
    /// one fused multiply-add per term in that order; `weights` is [3 × width] (the first layer,
    /// which always uses sine).
    @inline(__always)
    static func sinAffine(_ out: UnsafeMutablePointer<Float>, coordinates: UnsafePointer<Float>, rows: Int,
                          weights: UnsafePointer<Float>, bias: UnsafePointer<Float>, width: Int) {
        let wx = weights, wy = weights + width, wr = weights + 2 * width
        for p in 0..<rows {
            let x = coordinates[p * 3], y = coordinates[p * 3 + 1], r = coordinates[p * 3 + 2]
            let row = out + p * width
            for j in 0..<width { row[j] = sin(bias[j].addingProduct(x, wx[j]).addingProduct(y, wy[j]).addingProduct(r, wr[j])) }
        }
    }

    /// 2^t for t in [-126, 127]: t = n + f, |f| ≤ 1/2, a degree-4 polynomial for 2^f (relative
    /// error 3e-6) and n written straight into the exponent bits.
    @inline(__always)
    static func exp2(_ t: Float) -> Float {
        let shifted = t + magic
        let f = t - (shifted - magic)
        var p: Float = 9.5701597e-3
        p = Float(5.5917867e-2).addingProduct(p, f)
        p = Float(2.4024743e-1).addingProduct(p, f)
        p = Float(6.9312181e-1).addingProduct(p, f)
        p = Float(9.9999926e-1).addingProduct(p, f)
        let scale = Float(bitPattern: (shifted.bitPattern &+ (127 &- magicBits)) &<< 23)
        return p * scale
    }

    /// e^v, flushing to 0 below about -87 and saturating above 88.
    @inline(__always)
    static func exp(_ v: Float) -> Float {
        exp2(upper(lower(v * 1.442695041, 127), -126))
    }

    /// The gaussian's smallest output, 2⁻⁶⁴ (≈ 5e-20), not the smallest normal float: products of
    /// values near 2⁻¹²⁶ with the next layer's weights are subnormal, and subnormal arithmetic
    /// made a fitted style (whose gaussian layer saturates often) render 1.6× slower than a
    /// seeded one of the same size. Far below any colour step either way.
    static let gaussianFloor: Float = -64

    /// x[j] = exp(-(x[j] + bias[j])²)
    @inline(__always)
    static func gaussian(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        for j in 0..<n {
            let v = x[j] + bias[j]
            x[j] = exp2(upper(v * v * -1.442695041, gaussianFloor))
        }
    }

    /// x[j] = tanh(x[j] + bias[j]) = 1 - 2 / (e^{2v} + 1)
    @inline(__always)
    static func tanh(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int) {
        for j in 0..<n {
            let v = upper(lower(x[j] + bias[j], 9), -9)
            x[j] = 1 - 2 / (exp2(v * 2.885390082) + 1)
        }
    }

    /// out[i] = round(255 · sigmoid(v[i])). Rounding and the float → byte conversion use the
    /// magic number too, so the loop has no trapping conversions and vectorises.
    @inline(__always)
    static func sigmoidBytes(_ v: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<UInt8>) {
        for i in 0..<count {
            let y = upper(lower(sigmoid(v[i]) * 255, 255), 0) + magic
            out[i] = UInt8(truncatingIfNeeded: y.bitPattern)
        }
    }

    /// 1 / (1 + e^{-v})
    @inline(__always)
    static func sigmoid(_ v: Float) -> Float {
        1 / (1 + exp(-v))
    }
}
