import Foundation

/// A named colour grade: a per-channel transfer curve plus a saturation factor.
/// Curves are sampled into 256-entry tables once, so grading costs one lookup per channel.
public enum ToneCurve: String, CaseIterable, Sendable {
    /// Identity.
    case linear
    /// Film-like: lifted toe, gentle highlight shoulder, slightly warm mids, a touch desaturated.
    case filmlog
    /// Strong S-curve with deep blacks and boosted saturation.
    case punch
    /// Lifted, brightened and desaturated: soft pastel tones.
    case pastel

    public init(name: String) throws {
        guard let curve = ToneCurve(rawValue: name) else {
            throw PostFXError.unknownToneCurve(name: name, known: ToneCurve.allCases.map(\.rawValue))
        }
        self = curve
    }

    /// Saturation applied after the curve (1 = unchanged, 0 = grey).
    public var saturation: Float {
        switch self {
        case .linear: return 1
        case .filmlog: return 0.9
        case .punch: return 1.35
        case .pastel: return 0.65
        }
    }

    /// The curve for one channel (0 = R, 1 = G, 2 = B) at x in [0, 1].
    public func map(_ x: Double, channel: Int) -> Double {
        let y: Double
        switch self {
        case .linear:
            y = x
        case .filmlog:
            let logish = log(1 + 6 * x) / log(7.0)
            let s = x * x * (3 - 2 * x)
            let base = 0.03 + 0.93 * (0.55 * logish + 0.45 * s)
            // Warm mids: red up, blue down, zero at both ends so black and white stay neutral.
            let tint = 0.025 * sin(Double.pi * base)
            y = base + (channel == 0 ? tint : channel == 2 ? -tint : 0)
        case .punch:
            let s = x * x * (3 - 2 * x)
            y = pow(x + 0.9 * (s - x), 1.15)
        case .pastel:
            y = 0.16 + 0.8 * pow(x, 0.75)
        }
        return min(max(y, 0), 1)
    }

    /// 3 × 256 entries (R table, G table, B table), in [0, 1].
    public func table(contrast: Float = 1) -> [Float] {
        var t = [Float](repeating: 0, count: 3 * 256)
        let k = Double(contrast.isFinite ? contrast : 1)
        for channel in 0..<3 {
            for i in 0..<256 {
                let y = map(Double(i) / 255, channel: channel)
                // Contrast pulse around mid-grey, after the grade.
                t[channel * 256 + i] = Float(min(max((y - 0.5) * k + 0.5, 0), 1))
            }
        }
        return t
    }
}
