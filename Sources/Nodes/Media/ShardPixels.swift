import CFFmpeg

/// Exact conversions between `RGBImage` (packed RGB24) and the frames FFmpeg's coders take:
/// planar G, B, R (`gbrp`) for shards, packed B, G, R, X for WebP previews (`bgra`).
///
/// Both are plain byte copies in the C shim rather than swscale: exact by construction, which
/// the shard round trip relies on. HuffYUV codes planar RGB ~15 % smaller than packed RGB24
/// (it predicts each plane from its own neighbours).
enum ShardPixels {
    static let format = AV_PIX_FMT_GBRP
    /// The RGB24 channel each `gbrp` plane holds.
    private static let planeChannels: [Int32] = [1, 2, 0]

    /// Copies `image` into a `gbrp` frame of the same size.
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage) {
        let w = image.width
        image.pixels.withUnsafeBufferPointer { src in
            for (index, channel) in planeChannels.enumerated() {
                let (plane, stride) = Self.plane(frame, index)
                for y in 0..<image.height {
                    cffmpeg_rgb24_extract_channel(src.baseAddress! + y * w * 3, w, channel, plane + y * stride)
                }
            }
        }
    }

    /// Reads a `gbrp` frame back into an RGB24 image.
    static func image(from frame: UnsafeMutablePointer<AVFrame>) -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            for (index, channel) in planeChannels.enumerated() {
                let (plane, stride) = Self.plane(frame, index)
                for y in 0..<h { cffmpeg_rgb24_insert_channel(plane + y * stride, w, channel, dst.baseAddress! + y * w * 3) }
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

    private static func plane(_ frame: UnsafeMutablePointer<AVFrame>, _ index: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        switch index {
        case 0: return (frame.pointee.data.0!, Int(frame.pointee.linesize.0))
        case 1: return (frame.pointee.data.1!, Int(frame.pointee.linesize.1))
        default: return (frame.pointee.data.2!, Int(frame.pointee.linesize.2))
        }
    }
}
