import Foundation

/// Maps a generated RGB frame into a palette: a gradient map, one table lookup per pixel.
///
/// Design:
/// - **Along the gradient**: a pixel's position is its luma, t = (77·R + 150·G + 29·B) / 65280
///   (BT.601 weights in 8-bit fixed point), stretched about the middle by `stretch`, plus the
///   `shift` given per frame (in palette lengths; e.g. driven by the music). The position is
///   mirrored at both ends (…0→1→0→1…, a triangle wave), so any shift is continuous: colours slide
///   along the palette and bounce back at its ends, and no shift ever opens a seam where the
///   last colour meets the first.
/// - **Across it**: the red–blue opponent value R − B offsets lightness by up to ±5 L*, in
///   11 steps, so the generator's hue structure survives as a light texture instead of being
///   discarded. The offset is shortened where it would leave the sRGB gamut.
/// - **The bound**: every table entry is a gradient sample (already brought into the gamut by
///   lowering chroma) with only its lightness changed by ≤ 5, so its ΔE00 to that sample is
///   ≤ 5 / S_L ≤ 5, plus < 0.5 from rounding to 8 bits: every output pixel lies within ΔE00 6 of
///   the gradient (well inside the 10 that a palette promises).
/// - **Speed**: the table (1024 positions × 11 lightness steps × RGB, 33 KB) is built once per
///   palette; `apply` builds a 1021-entry position remap for its shift, then per pixel does one
///   weighted sum, two small-table reads and one 3-byte copy.
public struct PaletteMap: Sendable {
    public static let positions = 1024
    public static let lightnessLevels = 11
    public static let maxLightnessOffset = 5.0

    public let palette: Palette
    /// Contrast of the position about the gradient's middle (1 = luma as is; larger values use
    /// more of the palette on low-contrast frames, mirrored where they overshoot).
    public let stretch: Float
    private let table: [UInt8]
    private let levelOfOpponent: [UInt8]

    public init(palette: Palette, stretch: Float = 1) {
        self.palette = palette
        self.stretch = stretch.isFinite ? stretch : 1
        let samples = palette.gradient(samples: PaletteMap.positions)
        let levels = PaletteMap.lightnessLevels, half = Double(levels - 1) / 2
        var table = [UInt8](repeating: 0, count: PaletteMap.positions * levels * 3)
        for (i, sample) in samples.enumerated() {
            for level in 0..<levels {
                let offset = PaletteMap.maxLightnessOffset * (Double(level) - half) / half
                let c = PaletteMap.offsetWithinGamut(sample, offset).rgb8
                let o = (i * levels + level) * 3
                table[o] = c.r
                table[o + 1] = c.g
                table[o + 2] = c.b
            }
        }
        self.table = table
        levelOfOpponent = (0...510).map { UInt8(($0 * (levels - 1) + 255) / 510) }
    }

    /// Replaces every pixel of `image` with its palette colour; `shift` moves the position along
    /// the palette (in palette lengths, any value; 2 is a full there-and-back cycle).
    public func apply(_ image: inout RGBImage, shift: Float) {
        let remap = positionRemap(shift: shift)
        let levels = PaletteMap.lightnessLevels
        let count = image.width * image.height
        table.withUnsafeBufferPointer { lut in
            levelOfOpponent.withUnsafeBufferPointer { opponent in
                remap.withUnsafeBufferPointer { rows in
                    image.pixels.withUnsafeMutableBufferPointer { px in
                        let p = px.baseAddress!, t = lut.baseAddress!, o = opponent.baseAddress!, m = rows.baseAddress!
                        for i in 0..<count {
                            let q = p + i * 3
                            let r = Int(q[0]), g = Int(q[1]), b = Int(q[2])
                            let row = Int(m[(77 * r + 150 * g + 29 * b) >> 6])
                            let e = t + (row * levels + Int(o[r - b + 255])) * 3
                            q[0] = e[0]
                            q[1] = e[1]
                            q[2] = e[2]
                        }
                    }
                }
            }
        }
    }

    /// For each luma index 0…1020 (the weighted sum ≫ 6), the table row after stretch, shift
    /// and mirroring.
    func positionRemap(shift: Float) -> [UInt16] {
        let shift = shift.isFinite ? shift : 0
        let last = Float(PaletteMap.positions - 1)
        return (0...1020).map { u in
            let t = 0.5 + (Float(u) / 1020 - 0.5) * stretch + shift
            return UInt16((PaletteMap.mirror(t) * last).rounded())
        }
    }

    /// The triangle wave with period 2: 0→0, 1→1, 1.5→0.5, 2→0, −0.25→0.25.
    static func mirror(_ x: Float) -> Float {
        let m = x - 2 * (x / 2).rounded(.down)
        return min(max(m <= 1 ? m : 2 - m, 0), 1)
    }

    /// `colour` with L* moved by `offset`, or by as much of it as keeps the colour displayable.
    static func offsetWithinGamut(_ colour: LabColor, _ offset: Double) -> LabColor {
        func moved(_ fraction: Double) -> LabColor {
            LabColor(l: min(max(colour.l + offset * fraction, 0), 100), a: colour.a, b: colour.b)
        }
        if offset == 0 || moved(1).isInSRGBGamut { return moved(offset == 0 ? 0 : 1) }
        var lo = 0.0, hi = 1.0
        for _ in 0..<24 {
            let mid = (lo + hi) / 2
            if moved(mid).isInSRGBGamut { lo = mid } else { hi = mid }
        }
        return moved(lo)
    }
}
