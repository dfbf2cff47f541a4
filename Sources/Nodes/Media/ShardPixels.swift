import CFFmpeg

/// Exact conversions between `RGBImage` (RGB24) and the frames stored in shards.
///
/// FFmpeg 5.1's FFV1 encodes 8-bit RGB only as packed `bgr0` (B, G, R, unused byte per pixel);
/// internally it codes the same reversible colour transform as planar RGB, so this is lossless.
/// The shuffle is done by hand rather than through swscale: a byte copy is exact by construction,
/// which the shard round trip relies on.
enum ShardPixels {
    static let format = AV_PIX_FMT_BGR0

    /// Copies `image` into a bgr0 frame of the same size.
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage) {
        let w = image.width
        let base = frame.pointee.data.0!
        let stride = Int(frame.pointee.linesize.0)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let s = y * w * 3
                let row = base + y * stride
                for x in 0..<w {
                    row[4 * x] = src[s + 3 * x + 2]
                    row[4 * x + 1] = src[s + 3 * x + 1]
                    row[4 * x + 2] = src[s + 3 * x]
                    row[4 * x + 3] = 0
                }
            }
        }
    }

    /// Reads a bgr0 frame back into an RGB24 image.
    static func image(from frame: UnsafePointer<AVFrame>) -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        let base = frame.pointee.data.0!
        let stride = Int(frame.pointee.linesize.0)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h {
                let d = y * w * 3
                let row = base + y * stride
                for x in 0..<w {
                    dst[d + 3 * x] = row[4 * x + 2]
                    dst[d + 3 * x + 1] = row[4 * x + 1]
                    dst[d + 3 * x + 2] = row[4 * x]
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}
