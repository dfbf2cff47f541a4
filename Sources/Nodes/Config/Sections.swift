/// The typed sections of a resolved configuration. Property names map to the Buildfile's
/// snake_case keys (`wanderSeed` ↔ `controller.wander_seed`) through the snake-case coding
/// strategy used by `ConfigCoding`. Each recipe's `Params` is made of exactly the sections
/// (or fields) it reads, so its key changes only when those do.

public struct OutputConfig: Codable, Equatable, Sendable {
    public var width: Int = 1280
    public var height: Int = 720
    public var fps: Int = 30
}

public struct FeaturesConfig: Codable, Equatable, Sendable {
    public var nFft: Int = 2048
    public var melBands: Int = 32
}

public struct ControllerConfig: Codable, Equatable, Sendable {
    public var latentDim: Int = 8
    public var wanderSeed: Int = 42
    public var pulse: Double = 0.6
    public var motion: Double = 0.4
    public var smoothing: Double = 0.8
    /// Path of the anchor file, relative to the Buildfile; nil for seeded anchors.
    public var anchors: String? = "models/meta.json"
}

public struct GeneratorConfig: Codable, Equatable, Sendable {
    public var kind: String = "cppn"
    public var hidden: Int = 32
    public var layers: Int = 4
    public var seed: Int = 1
    /// Path of a safetensors style file, relative to the Buildfile; nil for a seeded style.
    public var weights: String? = nil
    /// `kind: conv` only: the generator's safetensors file (see `ConvGenerator`), relative to the Buildfile.
    public var style: String? = nil
    public var renderScale: Double = 0.5
    public init() {}
}

public struct LookConfig: Codable, Equatable, Sendable {
    /// A named palette (`ntsbuild palettes` lists them) or hex colours ("#1b1b3a #693668 …");
    /// nil keeps the generator's own colours.
    public var palette: String? = nil
    /// An image to take the palette from (k-means in CIELAB), relative to the Buildfile.
    public var paletteFrom: String? = nil
    /// How many colours to take from `palette_from`.
    public var paletteColors: Int = 5
    /// How far the music moves colours along the palette (the trajectory's hue swing): 0 holds them still.
    public var paletteMotion: Double = 1.0
    public init() {}
}

public struct PostFXConfig: Codable, Equatable, Sendable {
    public var toneCurve: String = "filmlog"
    public var vignette: Double = 0.3
    public var chromaShift: Double = 0.0
    public var trails: Bool = false
    public var grain: Double = 0.0
    public var flash: Double = 0.0
    public init() {}
}

public struct EncoderConfig: Codable, Equatable, Sendable {
    public var crf: Int = 18
    /// veryfast: on ntsbuild's smooth generated frames it matches medium within 0.5 dB PSNR at the same
    /// size for less than half the CPU (BENCHMARKS.md, Encoding); masters may ask for slower.
    public var preset: String = "veryfast"
    public var audioBitrate: String = "192k"
    /// Fixed, never taken from the machine, so the bytes do not depend on where they were made.
    public var threads: Int = 2
    /// The highest H.264 profile allowed: baseline | main | high (x264 signals the lowest one the
    /// stream needs, e.g. ultrafast stays Constrained Baseline). yuv444p needs high (→ High 4:4:4).
    public var profile: String = "high"
    /// Maximum frames between keyframes: 60 = 2 s at 30 fps, so players can seek quickly.
    public var keyframeInterval: Int = 60
    /// yuv420p plays everywhere; yuv444p keeps full-resolution colour but few browsers play it.
    public var pixelFormat: String = "yuv420p"
}

public struct ShardsConfig: Codable, Equatable, Sendable {
    public var frames: Int = 120
}

public struct CutConfig: Codable, Equatable, Sendable {
    public var crossfade: Double = 0.0
    public var chapters: Bool = true
}

/// Everything that can be configured per track (the album-level keys live in `AlbumSpec`).
public struct TrackConfig: Codable, Equatable, Sendable {
    public var output = OutputConfig()
    public var features = FeaturesConfig()
    public var controller = ControllerConfig()
    public var generator = GeneratorConfig()
    public var look = LookConfig()
    public var postfx = PostFXConfig()
    public var encoder = EncoderConfig()
    public var shards = ShardsConfig()
    public init() {}
}
