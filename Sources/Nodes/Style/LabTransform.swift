import Foundation

/// sRGB (0…1, D65) → CIELAB on float pixels with the transform's backward pass, for the style
/// loss: distances in Lab are roughly perceptual (1 unit ≈ one just-noticeable difference), so
/// the colour term weighs a dark blue shift and a pale yellow one as the eye does.
///
/// Written by hand (no automatic differentiation here): the exact sRGB transfer function, the
/// sRGB → XYZ matrix and the CIE f(t) with its linear toe (ε = 216/24389, κ = 24389/27).
enum LabTransform {
    static let epsilon: Float = 216 / 24389
    static let kappa: Float = 24389 / 27
    /// D65 white.
    static let white: (x: Float, y: Float, z: Float) = (0.95047, 1.0, 1.08883)
    /// Linear sRGB → XYZ, rows X, Y, Z.
    static let matrix: [Float] = [0.4124564, 0.3575761, 0.1804375,
                                  0.2126729, 0.7151522, 0.0721750,
                                  0.0193339, 0.1191920, 0.9503041]

    @inline(__always) static func linear(_ s: Float) -> Float {
        s <= 0.04045 ? s / 12.92 : Foundation.pow((s + 0.055) / 1.055, 2.4)
    }
    @inline(__always) static func linearSlope(_ s: Float) -> Float {
        s <= 0.04045 ? 1 / 12.92 : 2.4 / 1.055 * Foundation.pow((s + 0.055) / 1.055, 1.4)
    }
    @inline(__always) static func f(_ t: Float) -> Float {
        t > epsilon ? Foundation.cbrt(t) : (kappa * t + 16) / 116
    }
    @inline(__always) static func fSlope(_ t: Float) -> Float {
        if t > epsilon { let c = Foundation.cbrt(t); return 1 / (3 * c * c) }
        return kappa / 116
    }

    private static func xyz(_ rgb: UnsafePointer<Float>) -> (Float, Float, Float) {
        let r = linear(rgb[0]), g = linear(rgb[1]), b = linear(rgb[2])
        let m = matrix
        return ((m[0] * r + m[1] * g + m[2] * b) / white.x,
                (m[3] * r + m[4] * g + m[5] * b) / white.y,
                (m[6] * r + m[7] * g + m[8] * b) / white.z)
    }

    /// [n × 3] sRGB in 0…1 → [n × 3] L*, a*, b*.
    static func forward(_ rgb: [Float]) -> [Float] {
        var lab = [Float](repeating: 0, count: rgb.count)
        rgb.withUnsafeBufferPointer { src in
            for p in 0..<(rgb.count / 3) {
                let (x, y, z) = xyz(src.baseAddress! + 3 * p)
                let fx = f(x), fy = f(y), fz = f(z)
                lab[3 * p] = 116 * fy - 16
                lab[3 * p + 1] = 500 * (fx - fy)
                lab[3 * p + 2] = 200 * (fy - fz)
            }
        }
        return lab
    }

    /// d loss / d rgb from d loss / d Lab, at the pixels `rgb`.
    static func backward(_ rgb: [Float], dLab: [Float]) -> [Float] {
        var dRGB = [Float](repeating: 0, count: rgb.count)
        let m = matrix
        rgb.withUnsafeBufferPointer { src in
            for p in 0..<(rgb.count / 3) {
                let (x, y, z) = xyz(src.baseAddress! + 3 * p)
                let dL = dLab[3 * p], da = dLab[3 * p + 1], db = dLab[3 * p + 2]
                let dfx = 500 * da, dfy = 116 * dL - 500 * da + 200 * db, dfz = -200 * db
                let dX = dfx * fSlope(x) / white.x, dY = dfy * fSlope(y) / white.y, dZ = dfz * fSlope(z) / white.z
                for c in 0..<3 {
                    let dLinear = m[c] * dX + m[3 + c] * dY + m[6 + c] * dZ
                    dRGB[3 * p + c] = dLinear * linearSlope(src[3 * p + c])
                }
            }
        }
        return dRGB
    }
}
