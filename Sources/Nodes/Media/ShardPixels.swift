import CFFmpeg

/// Exact conversions between `RGBImage` (packed RGB24) and the frames FFmpeg's coders take:
/// planar G, B, R (`gbrp`) for shards, packed B, G, R, X for WebP previews (`bgra`).
///
/// Both are plain byte copies in the C shim rather than swscale: exact by construction, which
/// the shard round trip relies on. HuffYUV codes planar RGB ~15 % smaller than packed RGB24
/// (it predicts each plane from its own neighbours).
enum ShardPixels {
    static let format = AV_PIX_FMT_GBRP
    /// Copies `image` into a `gbrp` frame of the same size (R into plane 2, G into 0, B into 1).
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage) {
        let w = image.width
        let (g, b, r) = planes(frame)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                cffmpeg_rgb24_split(src.baseAddress! + y * w * 3, w, r.base + y * r.stride, g.base + y * g.stride, b.base + y * b.stride)
            }
        }
    }

    /// Reads a `gbrp` frame back into an RGB24 image.
    static func image(from frame: UnsafeMutablePointer<AVFrame>) -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        let (g, b, r) = planes(frame)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h {
                cffmpeg_rgb24_merge(r.base + y * r.stride, g.base + y * g.stride, b.base + y * b.stride, w, dst.baseAddress! + y * w * 3)
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// Copies `image` into a packed B, G, R, X frame of the same size; `fourth` fills the X byte.
    static func fillBGRX(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage, fourth: UInt8) {
        image.pixels.withUnsafeBufferPointer { src in
            cffmpeg_rgb24_to_bgrx(src.baseAddress, Int32(image.width), Int32(image.height),
                                  frame.pointee.data.0, frame.pointee.linesize.0, fourth)
        }
    }

    private typealias Plane = (base: UnsafeMutablePointer<UInt8>, stride: Int)

    /// The frame's planes in `gbrp` order: G, B, R.
    private static func planes(_ frame: UnsafeMutablePointer<AVFrame>) -> (Plane, Plane, Plane) {
        let f = frame.pointee
        return ((f.data.0!, Int(f.linesize.0)), (f.data.1!, Int(f.linesize.1)), (f.data.2!, Int(f.linesize.2)))
    }
}
