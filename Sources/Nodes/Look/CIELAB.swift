import Foundation

/// A colour in CIELAB (D65 white, 2° observer): L* 0…100, a* and b* roughly −128…127.
public struct LabColor: Equatable, Hashable, Sendable {
    public var l: Double
    public var a: Double
    public var b: Double

    public init(l: Double, a: Double, b: Double) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// The CIELAB value of an 8-bit sRGB colour.
    public init(r: UInt8, g: UInt8, b: UInt8) {
        let decode = CIELAB.decodeTable
        self = CIELAB.lab(linear: (decode[Int(r)], decode[Int(g)], decode[Int(b)]))
    }

    /// The nearest 8-bit sRGB colour; channels outside the gamut are clipped.
    public var rgb8: (r: UInt8, g: UInt8, b: UInt8) {
        let (r, g, b) = CIELAB.linear(self)
        return (CIELAB.encode8(r), CIELAB.encode8(g), CIELAB.encode8(b))
    }

    /// True when the colour has an sRGB representation (within rounding).
    public var isInSRGBGamut: Bool {
        let (r, g, b) = CIELAB.linear(self)
        let lo = -1e-7, hi = 1 + 1e-7
        return r >= lo && r <= hi && g >= lo && g <= hi && b >= lo && b <= hi
    }

    /// Linear interpolation in CIELAB: `t` = 0 gives `self`, 1 gives `other`.
    public func mixed(with other: LabColor, _ t: Double) -> LabColor {
        LabColor(l: l + (other.l - l) * t, a: a + (other.a - a) * t, b: b + (other.b - b) * t)
    }

    /// CIEDE2000 colour difference to `other`.
    public func deltaE00(_ other: LabColor) -> Double { CIELAB.deltaE2000(self, other) }
}

/// sRGB (IEC 61966-2-1, exact transfer function) ↔ CIE XYZ ↔ CIELAB, and the CIEDE2000 difference.
///
/// The RGB→XYZ matrix is derived from the sRGB primaries and the D65 chromaticity (0.3127, 0.3290)
/// rather than the standard's 4-digit rounding, so that every grey maps to a* = b* = 0 exactly
/// (palettes of greys must not pick up a tint); the CIELAB white is that same D65.
/// CIEDE2000 is written out here (Sharma, Wu & Dalal 2005, equations 1–22): no library on this
/// machine provides it to Swift, and it is small.
public enum CIELAB {
    /// CIE constants, as exact rationals (not the rounded 0.008856 / 903.3).
    public static let epsilon = 216.0 / 24389.0
    public static let kappa = 24389.0 / 27.0

    /// D65 white (Y = 1) from the chromaticity x = 0.3127, y = 0.3290.
    public static let white = (x: 0.3127 / 0.3290, y: 1.0, z: (1 - 0.3127 - 0.3290) / 0.3290)

    static let toXYZ: [Double] = [
        0.41239079926595934, 0.35758433938387796, 0.1804807884018343,
        0.2126390058715103, 0.7151686787677559, 0.07219231536073371,
        0.01933081871559182, 0.11919477979462595, 0.9505321522496606,
    ]
    static let fromXYZ: [Double] = [
        3.240969941904522, -1.537383177570094, -0.49861076029300344,
        -0.9692436362808798, 1.8759675015077206, 0.04155505740717563,
        0.05563007969699364, -0.20397695888897655, 1.0569715142428786,
    ]

    /// The sRGB decoding function of an 8-bit value, as linear light 0…1 (a constant table).
    public static let decodeTable: [Double] = (0..<256).map { decode(Double($0) / 255) }

    /// sRGB electro-optical transfer: encoded 0…1 → linear 0…1.
    public static func decode(_ v: Double) -> Double {
        v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    /// Inverse transfer: linear 0…1 → encoded 0…1.
    public static func encode(_ v: Double) -> Double {
        v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055
    }

    /// Linear light → 8-bit, clipped and rounded to nearest.
    static func encode8(_ v: Double) -> UInt8 {
        let e = encode(min(max(v, 0), 1)) * 255
        return UInt8(min(max(e.rounded(), 0), 255))
    }

    /// Linear sRGB → CIELAB.
    public static func lab(linear rgb: (Double, Double, Double)) -> LabColor {
        let m = toXYZ
        let x = m[0] * rgb.0 + m[1] * rgb.1 + m[2] * rgb.2
        let y = m[3] * rgb.0 + m[4] * rgb.1 + m[5] * rgb.2
        let z = m[6] * rgb.0 + m[7] * rgb.1 + m[8] * rgb.2
        let fx = f(x / white.x), fy = f(y / white.y), fz = f(z / white.z)
        return LabColor(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// CIELAB → linear sRGB, unclipped (values outside 0…1 are out of gamut).
    public static func linear(_ lab: LabColor) -> (Double, Double, Double) {
        let fy = (lab.l + 16) / 116
        let fx = fy + lab.a / 500
        let fz = fy - lab.b / 200
        let xr = fx * fx * fx > epsilon ? fx * fx * fx : (116 * fx - 16) / kappa
        let yr = lab.l > kappa * epsilon ? fy * fy * fy : lab.l / kappa
        let zr = fz * fz * fz > epsilon ? fz * fz * fz : (116 * fz - 16) / kappa
        let x = xr * white.x, y = yr * white.y, z = zr * white.z
        let m = fromXYZ
        return (m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z)
    }

    private static func f(_ t: Double) -> Double {
        t > epsilon ? cbrt(t) : (kappa * t + 16) / 116
    }

    /// CIEDE2000 ΔE00 with kL = kC = kH = 1.
    public static func deltaE2000(_ x: LabColor, _ y: LabColor) -> Double {
        let pow25_7 = 6_103_515_625.0  // 25^7
        let c1 = (x.a * x.a + x.b * x.b).squareRoot()
        let c2 = (y.a * y.a + y.b * y.b).squareRoot()
        let cBar = (c1 + c2) / 2
        let cBar7 = pow(cBar, 7)
        let g = 0.5 * (1 - (cBar7 / (cBar7 + pow25_7)).squareRoot())
        let a1 = (1 + g) * x.a, a2 = (1 + g) * y.a
        let cp1 = (a1 * a1 + x.b * x.b).squareRoot()
        let cp2 = (a2 * a2 + y.b * y.b).squareRoot()
        let hp1 = hueDegrees(x.b, a1), hp2 = hueDegrees(y.b, a2)

        let dL = y.l - x.l
        let dC = cp2 - cp1
        var dh = 0.0
        if cp1 * cp2 != 0 {
            dh = hp2 - hp1
            if dh > 180 { dh -= 360 } else if dh < -180 { dh += 360 }
        }
        let dH = 2 * (cp1 * cp2).squareRoot() * sin(radians(dh / 2))

        let lBar = (x.l + y.l) / 2
        let cpBar = (cp1 + cp2) / 2
        var hBar = hp1 + hp2
        if cp1 * cp2 != 0 {
            if abs(hp1 - hp2) <= 180 {
                hBar /= 2
            } else {
                hBar = hBar < 360 ? (hBar + 360) / 2 : (hBar - 360) / 2
            }
        }
        let t = 1 - 0.17 * cos(radians(hBar - 30)) + 0.24 * cos(radians(2 * hBar))
            + 0.32 * cos(radians(3 * hBar + 6)) - 0.20 * cos(radians(4 * hBar - 63))
        let dTheta = 30 * exp(-pow((hBar - 275) / 25, 2))
        let cpBar7 = pow(cpBar, 7)
        let rc = 2 * (cpBar7 / (cpBar7 + pow25_7)).squareRoot()
        let l50 = (lBar - 50) * (lBar - 50)
        let sl = 1 + 0.015 * l50 / (20 + l50).squareRoot()
        let sc = 1 + 0.045 * cpBar
        let sh = 1 + 0.015 * cpBar * t
        let rt = -sin(radians(2 * dTheta)) * rc
        let tl = dL / sl, tc = dC / sc, th = dH / sh
        return max(0, tl * tl + tc * tc + th * th + rt * tc * th).squareRoot()
    }

    private static func hueDegrees(_ b: Double, _ a: Double) -> Double {
        if a == 0 && b == 0 { return 0 }
        let h = atan2(b, a) * 180 / Double.pi
        return h < 0 ? h + 360 : h
    }

    private static func radians(_ degrees: Double) -> Double { degrees * Double.pi / 180 }
}
