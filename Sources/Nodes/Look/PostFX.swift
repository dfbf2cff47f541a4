import CLookKernels
import Foundation

/// Post-effects on the upscaled frame, in this order:
/// chroma shift (R and B sampled sideways, wider on flashes) → tone curve + contrast pulse
/// (one table lookup) → hue rotation + saturation (one 3×3 matrix) → motion trails → onset
/// flash → vignette → grain → 8-bit.
///
/// Trails blend with the previous output, so a `PostFX` value must see a track's frames in
/// order (it is `mutating` for that reason); every other effect depends only on the frame
/// index and its curves. Grain is seeded per frame from (seed, frame index), so a frame's
/// grain does not depend on which frames were processed before it.
public struct PostFX: Sendable {
    /// Bump when the output for the same inputs changes.
    public static let version = 2

    public let config: PostFXConfig
    public let seed: UInt64
    public let fps: Int
    let curve: ToneCurve

    /// Trails fall by e every 0.07 s, converted to a per-frame factor so 30 and 60 fps trail alike.
    static let trailSeconds = 0.07
    let trailKeep: Float

    // Per-size / per-frame caches.
    private var vignetteMask: [Float] = []
    private var maskSize = (0, 0)
    private var table: [Float] = []
    private var tableContrast: Float = .nan
    /// Planar per row: R, G and B of row y at [3·y·width, …) in three runs of `width`.
    private var trail: [Float] = []
    private var trailSize = (0, 0)
    /// One row's R, G, B planes: the working space of `apply`.
    private var rows: [Float] = []

    public init(config: PostFXConfig, seed: UInt64, fps: Int) throws {
        curve = try ToneCurve(name: config.toneCurve)
        for (key, value) in [("vignette", config.vignette), ("chroma_shift", config.chromaShift),
                             ("grain", config.grain), ("flash", config.flash)] {
            guard value.isFinite, value >= 0 else {
                throw PostFXError.invalid(key: "postfx.\(key)", reason: "must be a finite number ≥ 0, got \(value)")
            }
        }
        guard fps >= 1 else { throw PostFXError.invalid(key: "output.fps", reason: "must be at least 1, got \(fps)") }
        self.config = config
        self.seed = seed
        self.fps = fps
        trailKeep = TimeConstant.keep(tau: PostFX.trailSeconds, dt: 1 / Double(fps))
    }

    /// Frames until an old frame's weight in the trail (keep^n) falls below 2⁻³⁰.
    var trailHistory: Int {
        guard trailKeep > 0, trailKeep < 1 else { return 0 }
        return Int((-30 * log(2.0) / log(Double(trailKeep))).rounded(.up))
    }

    public mutating func apply(_ image: inout RGBImage, frame: Int, curves: FrameCurves) {
        let width = image.width, height = image.height
        if curves.contrast != tableContrast || table.isEmpty {
            table = curve.table(contrast: curves.contrast)
            tableContrast = curves.contrast
        }
        let useVignette = config.vignette > 0
        if useVignette, maskSize != (width, height) {
            vignetteMask = PostFX.vignette(width: width, height: height, strength: Float(config.vignette))
            maskSize = (width, height)
        }
        let useTrails = config.trails
        var trailValid = true
        if useTrails, trailSize != (width, height) {
            trail = [Float](repeating: 0, count: width * height * 3)
            trailSize = (width, height)
            trailValid = false
        }
        let colour = PostFX.colourMatrix(hueTurns: curves.hue, saturation: curve.saturation)
        let flashAmount = min(max(Float(config.flash) * (curves.flash.isFinite ? curves.flash : 0), 0), 1)
        let shift = Int((Float(config.chromaShift) * 0.004 * Float(width) * (1 + 1.5 * flashAmount)).rounded())
        let grainAmount = Float(config.grain) * 0.12
        let frameSeed = SeededRandom.mix(seed ^ SeededRandom.mix(UInt64(bitPattern: Int64(frame)) &+ 0x5EED))
        let keep = trailValid ? trailKeep : 0

        if rows.count != width * 3 { rows = [Float](repeating: 0, count: width * 3) }
        var params = look_postfx_params()
        withUnsafeMutableBytes(of: &params.colour) { raw in
            let m = raw.bindMemory(to: Float.self)
            (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]) = colour
        }
        params.keep = keep
        params.flash = flashAmount
        params.grain = grainAmount
        params.shift = shift
        params.frame_seed = frameSeed
        // Row by row, in place (look_postfx_row reads a whole row before writing it).
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            table.withUnsafeBufferPointer { lut in
                vignetteMask.withUnsafeBufferPointer { mask in
                    trail.withUnsafeMutableBufferPointer { state in
                        rows.withUnsafeMutableBufferPointer { planes in
                            for y in 0..<height {
                                params.first_pixel = UInt64(y * width)
                                look_postfx_row(pixels.baseAddress! + y * width * 3, width, lut.baseAddress!, &params,
                                                useTrails ? state.baseAddress! + y * width * 3 : nil,
                                                useVignette ? mask.baseAddress! + y * width : nil, planes.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Darkening towards the corners: 1 in the middle, 1 - strength at the corners, on an
    /// ellipse matching the frame so the falloff is the same along both axes.
    static func vignette(width: Int, height: Int, strength: Float) -> [Float] {
        var m = [Float](repeating: 1, count: width * height)
        for y in 0..<height {
            let dy = (2 * (Float(y) + 0.5) / Float(height) - 1)
            for x in 0..<width {
                let dx = (2 * (Float(x) + 0.5) / Float(width) - 1)
                let r = ((dx * dx + dy * dy) / 2).squareRoot()   // 1 at the corners
                m[y * width + x] = 1 - min(strength, 1) * smoothstep(0.3, 1.0, r)
            }
        }
        return m
    }

    /// Hue rotation by `hueTurns` turns about the grey axis, then saturation about Rec. 709 luma.
    static func colourMatrix(hueTurns: Float, saturation: Float) -> (Float, Float, Float, Float, Float, Float, Float, Float, Float) {
        let angle = Double(hueTurns.isFinite ? hueTurns : 0) * 2 * Double.pi
        let c = cos(angle), s = sin(angle)
        let third = (1 - c) / 3, root = s * (1.0 / 3).squareRoot()
        let h: [Double] = [c + third, third - root, third + root,
                           third + root, c + third, third - root,
                           third - root, third + root, c + third]
        let luma: [Double] = [0.2126, 0.7152, 0.0722]
        let sat = Double(saturation)
        var m = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for col in 0..<3 {
                var v = 0.0
                for k in 0..<3 {
                    let sRowK = (1 - sat) * luma[k] + (row == k ? sat : 0)
                    v += sRowK * h[k * 3 + col]
                }
                m[row * 3 + col] = v
            }
        }
        let f = m.map { Float($0) }
        return (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8])
    }
}

public enum PostFXError: Error, CustomStringConvertible, Equatable {
    case unknownToneCurve(name: String, known: [String])
    case invalid(key: String, reason: String)

    public var description: String {
        switch self {
        case .unknownToneCurve(let name, let known):
            return "postfx.tone_curve: unknown tone curve '\(name)' (known: \(known.joined(separator: ", ")))"
        case .invalid(let key, let reason):
            return "\(key): \(reason)"
        }
    }
}
