import CFFmpeg

/// Exact conversions between `RGBImage` (RGB24) and the packed B, G, R, X frames that shards
/// (FFV1 `bgr0`) and WebP previews (`bgra`) use.
///
/// FFmpeg 5.1's FFV1 encodes 8-bit RGB only as packed `bgr0`; internally it codes the same
/// reversible colour transform as planar RGB, so this is lossless. The shuffle is a plain byte copy
/// in the C shim rather than swscale: exact by construction, which the shard round trip relies on.
enum ShardPixels {
    static let format = AV_PIX_FMT_BGR0

    /// Copies `image` into a B,G,R,X frame of the same size; `fourth` fills the X byte.
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage, fourth: UInt8 = 0) {
        image.pixels.withUnsafeBufferPointer { src in
            cffmpeg_rgb24_to_bgrx(src.baseAddress, Int32(image.width), Int32(image.height),
                                  frame.pointee.data.0, frame.pointee.linesize.0, fourth)
        }
    }

    /// Reads a B,G,R,X frame back into an RGB24 image.
    static func image(from frame: UnsafePointer<AVFrame>) -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            cffmpeg_bgrx_to_rgb24(frame.pointee.data.0, frame.pointee.linesize.0, Int32(w), Int32(h), dst.baseAddress)
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}
