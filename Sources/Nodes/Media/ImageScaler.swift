import CFFmpeg

/// Resizes RGB images with swscale, reusing one context for every frame of a track.
///
/// Each colour channel is scaled as its own 8-bit gray plane: swscale would otherwise route
/// packed RGB through an internal YUV conversion, which shifts colours by rounding. SWS_BITEXACT
/// keeps the result identical on every CPU (no approximate SIMD paths). One scaler serves one
/// thread (it keeps its channel planes between frames).
public final class ImageScaler {
    public let source: (width: Int, height: Int)
    public let target: (width: Int, height: Int)
    public let algorithm: String
    private let context: OpaquePointer?  // nil when the sizes are equal
    /// The source's three channels as swscale reads them, one after another, each followed by
    /// `SwscaleSource.padding` bytes that are never written.
    private var srcPlanes = SwscaleSource()
    /// The three scaled channels, merged into the output in one pass.
    private var dstPlanes: [[UInt8]] = []

    public init(from: (Int, Int), to: (Int, Int), algorithm: String = "lanczos") throws {
        source = (from.0, from.1)
        target = (to.0, to.1)
        self.algorithm = algorithm
        let label = "scaler \(from.0)x\(from.1)->\(to.0)x\(to.1)"
        guard from.0 > 0, from.1 > 0, to.0 > 0, to.1 > 0 else {
            throw MediaError.invalid(file: label, reason: "image sizes must be positive")
        }
        let kernel: Int32
        switch algorithm {
        case "lanczos": kernel = SWS_LANCZOS
        case "bicubic": kernel = SWS_BICUBIC
        case "bilinear": kernel = SWS_BILINEAR
        default: throw MediaError.invalid(file: label, reason: "unknown scaling algorithm '\(algorithm)' (lanczos, bicubic or bilinear)")
        }
        if from == to {
            context = nil
            return
        }
        quietFFmpeg()
        context = sws_getContext(Int32(from.0), Int32(from.1), AV_PIX_FMT_GRAY8,
                                 Int32(to.0), Int32(to.1), AV_PIX_FMT_GRAY8,
                                 kernel | SWS_ACCURATE_RND | SWS_BITEXACT, nil, nil, nil)
        guard context != nil else { throw MediaError.invalid(file: label, reason: "swscale cannot build this scaler") }
    }

    deinit { sws_freeContext(context) }

    /// The image at the target size. Identity sizes return the input unchanged.
    public func scale(_ image: RGBImage) -> RGBImage {
        precondition(image.width == source.width && image.height == source.height,
                     "image is \(image.width)x\(image.height), scaler expects \(source.width)x\(source.height)")
        guard let context else { return image }
        let (sw, sh) = source, (tw, th) = target
        if dstPlanes.first?.count != tw * th { dstPlanes = [[UInt8]](repeating: [UInt8](repeating: 0, count: tw * th), count: 3) }
        let planeStride = sw * sh + SwscaleSource.padding
        srcPlanes.withPixels(count: 3 * planeStride - SwscaleSource.padding) { planes in
            image.pixels.withUnsafeBufferPointer {
                cffmpeg_rgb24_split($0.baseAddress, sw * sh, planes, planes + planeStride, planes + 2 * planeStride)
            }
            for channel in 0..<3 {
                dstPlanes[channel].withUnsafeMutableBufferPointer { d in
                    var srcData: [UnsafePointer<UInt8>?] = [UnsafePointer(planes + channel * planeStride), nil, nil, nil]
                    var srcStride: [Int32] = [Int32(sw), 0, 0, 0]
                    var dstData: [UnsafeMutablePointer<UInt8>?] = [d.baseAddress, nil, nil, nil]
                    var dstStride: [Int32] = [Int32(tw), 0, 0, 0]
                    _ = sws_scale(context, &srcData, &srcStride, 0, Int32(sh), &dstData, &dstStride)
                }
            }
        }
        let out = [UInt8](unsafeUninitializedCapacity: tw * th * 3) { o, count in
            cffmpeg_rgb24_merge(dstPlanes[0], dstPlanes[1], dstPlanes[2], tw * th, o.baseAddress)
            count = tw * th * 3
        }
        return RGBImage(width: tw, height: th, pixels: out)
    }
}
