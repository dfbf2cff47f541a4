/// What the track node does to each generator frame before encoding: upscale to the output
/// size (swscale, Lanczos), map into the look's palette (if it has one), then the post-effects.
/// With a palette, the trajectory's hue swing moves the colours along the palette
/// (`look.palette_motion`) instead of rotating hues, which would leave the palette. `TrackRecipe` and `still` both go through
/// this one type, so a still is, by construction, the frame the video shows.
public struct FrameFinisher {
    public let output: OutputConfig
    private var postfx: PostFX
    private var scaler: ImageScaler?
    private let paletteMap: PaletteMap?
    private let paletteMotion: Float

    /// The trajectory's hue swing is within ±0.08 turns; at `palette_motion` 1 that moves colours
    /// up to a quarter of the palette's length either way.
    static let shiftPerHueTurn: Float = 0.25 / 0.08

    /// How far along the palette a frame's colours slide: the track node and the previews both use this.
    static func paletteShift(motion: Float, hue: Float) -> Float {
        motion * shiftPerHueTurn * (hue.isFinite ? hue : 0)
    }

    /// `grainSeed` seeds the film grain (a track passes its `controller.wander_seed`).
    public init(output: OutputConfig, postfx: PostFXConfig, look: LookConfig, grainSeed: Int, palette: Palette? = nil) throws {
        self.output = output
        self.postfx = try PostFX(config: postfx, seed: UInt64(grainSeed), fps: output.fps)
        paletteMap = palette.map { PaletteMap(palette: $0) }
        paletteMotion = Float(look.paletteMotion)
    }

    public init(config: TrackConfig, palette: Palette? = nil) throws {
        try self.init(output: config.output, postfx: config.postfx, look: config.look,
                      grainSeed: config.controller.wanderSeed, palette: palette)
    }

    /// Frames must come in order when trails are on (the trail carries state from frame to frame).
    public mutating func finish(_ rendered: RGBImage, frame: Int, curves: FrameCurves) throws -> RGBImage {
        var image = rendered
        if image.width != output.width || image.height != output.height {
            if scaler == nil { scaler = try ImageScaler(from: (image.width, image.height), to: (output.width, output.height)) }
            image = scaler!.scale(image)
        }
        var curves = curves
        if let paletteMap {
            paletteMap.apply(&image, shift: Self.paletteShift(motion: paletteMotion, hue: curves.hue))
            curves.hue = 0
        }
        postfx.apply(&image, frame: frame, curves: curves)
        return image
    }

    /// How many earlier frames still reach a frame's pixels: 0 without trails, else the frames
    /// after which an old frame's weight in the trail is below 2⁻³⁰ — far below float precision
    /// of the blended values, so starting the trail that far back gives the same bytes as
    /// starting it at frame 0.
    public var history: Int { postfx.config.trails ? postfx.trailHistory : 0 }
}
