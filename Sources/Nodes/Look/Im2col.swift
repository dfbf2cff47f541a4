/// The matrix form of a same-padded 3×3 convolution, so it runs as one sgemm.
///
/// For an input [C, H, W] (channel-major, like PyTorch's CHW) the columns matrix is
/// [C·9, H·W] with row (c·9 + ky·3 + kx) holding input channel c shifted by (ky-1, kx-1), zero
/// outside the image. That row order is PyTorch's weight layout [out, in, kh, kw] read as a
/// row-major [out, in·9] matrix, so weight · columns = the convolution, [out, H·W] = CHW again.
enum Im2col {
    /// The columns of the output rows `rows` only: [C·9, rows.count·W].
    static func columns(_ input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, rows: Range<Int>,
                        into out: UnsafeMutablePointer<Float>) {
        let plane = height * width, band = rows.count * width
        for c in 0..<channels {
            let src = input + c * plane
            for ky in 0..<3 {
                for kx in 0..<3 {
                    let row = out + (c * 9 + ky * 3 + kx) * band
                    let dy = ky - 1, dx = kx - 1
                    for y in rows {
                        let sy = y + dy
                        let dst = row + (y - rows.lowerBound) * width
                        guard sy >= 0 && sy < height else {
                            dst.update(repeating: 0, count: width)
                            continue
                        }
                        let line = src + sy * width
                        // Columns whose source x + dx falls outside are zero; the rest is a shifted copy.
                        let first = max(0, -dx), last = min(width, width - dx)
                        if first > 0 { dst.update(repeating: 0, count: first) }
                        if last < width { (dst + last).update(repeating: 0, count: width - last) }
                        if last > first { (dst + first).update(from: line + first + dx, count: last - first) }
                    }
                }
            }
        }
    }

    /// Nearest-neighbour ×2 upsampling of [C, H, W] into [C, 2H, 2W].
    static func upsample2x(_ input: [Float], channels: Int, height: Int, width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: channels * height * width * 4)
        let w2 = width * 2
        out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in
                for c in 0..<channels {
                    for y in 0..<height {
                        let src = i.baseAddress! + (c * height + y) * width
                        let dst = o.baseAddress! + (c * height * 2 + y * 2) * w2
                        for x in 0..<width {
                            dst[2 * x] = src[x]
                            dst[2 * x + 1] = src[x]
                        }
                        (dst + w2).update(from: dst, count: w2)
                    }
                }
            }
        }
        return out
    }
}
