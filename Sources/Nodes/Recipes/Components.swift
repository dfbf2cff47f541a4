import Graph

/// The components recipes run, each with the version to bump when a change to its code changes
/// the bytes it makes. A recipe lists the ones it runs (`Recipe.components`) and its key folds
/// them, so a bump re-runs exactly the kinds of node that run the component. The versions of the
/// big components live beside their code (`CPPN.version`, `PostFX.version` …); the others here.
extension CodeVersion {
    /// Reading audio files (libsndfile, else FFmpeg) and the decoded-length rules (`AudioFile`, `AudioSpan`).
    static let audioDecoder = CodeVersion("audio-decoder", 1)
    /// The feature extractor (`FeatureExtractor`).
    static let featureExtractor = CodeVersion("feature-extractor", FeatureExtractor.version)
    /// Features → latent trajectory and curves (`Controller`).
    static let controller = CodeVersion("controller", Controller.version)
    /// The CPPN's fused frame kernel (`CPPN`, `CLookKernels`).
    static let cppn = CodeVersion("cppn", CPPN.version)
    /// The conv generator (`ConvGenerator`). 2: convolutions a band of rows per sgemm (rounding moved).
    static let convGenerator = CodeVersion("conv-generator", 2)
    /// The lossless shard files' format, written and read (`ShardWriter`, `ShardReader`).
    static let shardCodec = CodeVersion("shard-codec", ShardWriter.formatVersion)
    /// Resizing frames (swscale, Lanczos: `ImageScaler`).
    static let scaler = CodeVersion("scaler", 1)
    /// Palettes: parsing, the library, extraction from an image, the mapping (`Palette`, `PaletteMap`).
    static let palette = CodeVersion("palette", 1)
    /// Decoding PNG, JPEG and WebP images (`ImageReader`).
    static let imageReader = CodeVersion("image-reader", 1)
    /// The post-effects (`PostFX`).
    static let postfx = CodeVersion("postfx", PostFX.version)
    /// H.264 + AAC encoding and MP4 muxing (`TrackEncoder`, `CrossfadeCut`, `AlbumMuxer`). 2: x264
    /// runs without AVX-512 (see `X264Capabilities`), so outputs made before on an AVX-512
    /// machine may differ from what this code makes.
    static let encoder = CodeVersion("encoder", 2)
    /// Fitting a style to a reference image (`StyleFitter`).
    static let styleFitter = CodeVersion("style-fitter", StyleFitter.version)
}
