import Foundation

/// An ordered list of 2…16 colours in CIELAB and the gradient through them: piecewise-linear in
/// CIELAB, stops equally spaced, so the midpoint between two colours is perceptually between them
/// (an sRGB blend of blue and yellow goes through grey; a CIELAB one keeps its lightness even).
///
/// A palette comes from the built-in library (`named`), an inline list of hex colours
/// (`Palette(parsing:)` takes either), or an image (`extract`, in PaletteExtraction.swift).
public struct Palette: Equatable, Sendable {
    public static let stopRange = 2...16

    public let stops: [LabColor]

    public init(stops: [LabColor]) throws {
        guard Palette.stopRange.contains(stops.count) else {
            throw PaletteError.stopCount(stops.count)
        }
        guard stops.allSatisfy({ $0.l.isFinite && $0.a.isFinite && $0.b.isFinite }) else {
            throw PaletteError.invalid("a palette colour is not a number")
        }
        self.stops = stops
    }

    /// A library name (`ember`) or an inline list of hex colours (`#1b1b3a #693668 #a74482`,
    /// separated by spaces or commas; `#rgb` shorthand accepted).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("#") {
            let tokens = trimmed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" })
            try self.init(stops: tokens.map { try Palette.color(hex: String($0)) })
        } else {
            self = try Palette.named(trimmed)
        }
    }

    /// One `#rrggbb` or `#rgb` colour.
    public static func color(hex token: String) throws -> LabColor {
        var digits = Substring(token)
        guard digits.first == "#" else { throw PaletteError.badColor(token) }
        digits = digits.dropFirst()
        if digits.count == 3 { digits = Substring(digits.flatMap { [$0, $0] }) }
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
            throw PaletteError.badColor(token)
        }
        return LabColor(r: UInt8(value >> 16), g: UInt8((value >> 8) & 0xFF), b: UInt8(value & 0xFF))
    }

    /// The stops as `#rrggbb` (nearest sRGB), e.g. for the run record or a gallery swatch.
    public var hexColors: [String] {
        stops.map { stop in
            let c = stop.rgb8
            return "#" + [c.r, c.g, c.b].map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The gradient's colour at `t` ∈ [0, 1] (clamped), before any gamut mapping.
    public func color(at t: Double) -> LabColor {
        let segments = Double(stops.count - 1)
        let x = min(max(t, 0), 1) * segments
        let i = min(Int(x), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], x - Double(i))
    }

    /// `count` equally spaced colours along the gradient, each brought into the sRGB gamut by
    /// lowering its chroma at constant lightness and hue (a CIELAB blend of two displayable
    /// colours can leave the gamut; clipping channels instead would shift its hue).
    public func gradient(samples count: Int = 1024) -> [LabColor] {
        precondition(count >= 2, "a gradient needs at least 2 samples")
        return (0..<count).map { Palette.intoGamut(color(at: Double($0) / Double(count - 1))) }
    }

    /// The colour with the largest chroma ≤ the given one (same L*, hue) that sRGB can show.
    /// Bisection with a fixed step count, so the result is the same everywhere.
    static func intoGamut(_ colour: LabColor) -> LabColor {
        var c = colour
        c.l = min(max(c.l, 0), 100)
        if c.isInSRGBGamut { return c }
        var lo = 0.0, hi = 1.0
        for _ in 0..<30 {
            let mid = (lo + hi) / 2
            if LabColor(l: c.l, a: c.a * mid, b: c.b * mid).isInSRGBGamut { lo = mid } else { hi = mid }
        }
        return LabColor(l: c.l, a: c.a * lo, b: c.b * lo)
    }

    /// The fraction of `image`'s pixels within ΔE00 `deltaE` of the gradient (its 1024 samples):
    /// the measure of how faithfully a mapped frame keeps to the palette.
    public func fractionWithin(deltaE: Double, of image: RGBImage) -> Double {
        let samples = gradient()
        var verdicts: [UInt32: Bool] = [:]
        var inside = 0
        let pixels = image.pixels
        for p in 0..<(image.width * image.height) {
            let r = pixels[p * 3], g = pixels[p * 3 + 1], b = pixels[p * 3 + 2]
            let key = UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
            if let known = verdicts[key] {
                if known { inside += 1 }
                continue
            }
            let ok = Palette.near(LabColor(r: r, g: g, b: b), samples, deltaE)
            verdicts[key] = ok
            if ok { inside += 1 }
        }
        return Double(inside) / Double(image.width * image.height)
    }

    /// Whether any sample is within `deltaE` (ΔE00) of `colour`. The samples nearest in ΔE76 are
    /// tried first — found coarse to fine, every 16th sample then the 32 around the best — which
    /// almost always settles it; otherwise every sample is checked, so the answer is exact.
    private static func near(_ colour: LabColor, _ samples: [LabColor], _ deltaE: Double) -> Bool {
        func distance(_ s: LabColor) -> Double {
            let dl = s.l - colour.l, da = s.a - colour.a, db = s.b - colour.b
            return dl * dl + da * da + db * db
        }
        func nearest(in range: StrideTo<Int>) -> Int {
            var best = range.first(where: { _ in true }) ?? 0, bestDistance = Double.infinity
            for i in range {
                let d = distance(samples[i])
                if d < bestDistance { best = i; bestDistance = d }
            }
            return best
        }
        let coarse = nearest(in: stride(from: 0, to: samples.count, by: 16))
        let fine = nearest(in: stride(from: max(0, coarse - 16), to: min(samples.count, coarse + 17), by: 1))
        for i in max(0, fine - 2)...min(samples.count - 1, fine + 2) where colour.deltaE00(samples[i]) <= deltaE {
            return true
        }
        return samples.contains { colour.deltaE00($0) <= deltaE }
    }
}

/// What a palette specification can be wrong about; one line each.
public enum PaletteError: Error, Equatable, CustomStringConvertible {
    case stopCount(Int)
    case badColor(String)
    case unknownName(String, suggestion: String?)
    case invalid(String)

    public var description: String {
        switch self {
        case .stopCount(let n):
            return "a palette needs \(Palette.stopRange.lowerBound) to \(Palette.stopRange.upperBound) colours, got \(n)"
        case .badColor(let token):
            return "'\(token)' is not a colour (expected #rrggbb or #rgb)"
        case .unknownName(let name, let suggestion):
            let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
            return "unknown palette '\(name)'\(hint); built in: \(PaletteLibrary.names.joined(separator: ", "))"
        case .invalid(let reason):
            return reason
        }
    }
}
