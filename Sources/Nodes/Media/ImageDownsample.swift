extension ImageReader {
    /// `image` shrunk so its longer side is at most `maxSide`, by an exact area average (a box
    /// filter with fractional coverage at the edges). Integer arithmetic throughout, so the bytes
    /// are the same everywhere; an image already small enough is returned unchanged.
    public static func downsample(_ image: RGBImage, maxSide: Int) -> RGBImage {
        precondition(maxSide > 0, "maxSide must be positive")
        let (width, height) = downsampledSize(width: image.width, height: image.height, maxSide: maxSide)
        guard width != image.width || height != image.height else { return image }
        let sw = image.width, sh = image.height
        // Output i covers [i·source, (i+1)·source) and source pixel j covers [j·target, (j+1)·target):
        // the overlap of the two is j's weight, and each output's weights add up to `source`.
        func spans(_ source: Int, _ target: Int) -> [[(index: Int, weight: Int)]] {
            (0..<target).map { i in
                let lo = i * source, hi = lo + source
                return ((lo / target)...((hi - 1) / target)).map { j in
                    (j, min(hi, (j + 1) * target) - max(lo, j * target))
                }
            }
        }
        let across = spans(sw, width), down = spans(sh, height)
        // Horizontal pass into unnormalised sums (one row of `width` pixels per source row).
        var rows = [Int](repeating: 0, count: width * sh * 3)
        image.pixels.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { dst in
                for y in 0..<sh {
                    for x in 0..<width {
                        var r = 0, g = 0, b = 0
                        for (j, w) in across[x] {
                            let s = (y * sw + j) * 3
                            r += Int(src[s]) * w
                            g += Int(src[s + 1]) * w
                            b += Int(src[s + 2]) * w
                        }
                        let d = (y * width + x) * 3
                        dst[d] = r
                        dst[d + 1] = g
                        dst[d + 2] = b
                    }
                }
            }
        }
        // Vertical pass, whole rows at a time; one rounding division at the end.
        let total = sw * sh, rowValues = width * 3
        var out = [UInt8](repeating: 0, count: width * height * 3)
        var acc = [Int](repeating: 0, count: rowValues)
        rows.withUnsafeBufferPointer { src in
            for y in 0..<height {
                for k in 0..<rowValues { acc[k] = 0 }
                for (j, w) in down[y] {
                    let base = j * rowValues
                    for k in 0..<rowValues { acc[k] += src[base + k] * w }
                }
                for k in 0..<rowValues { out[y * rowValues + k] = UInt8((acc[k] + total / 2) / total) }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// The size `downsample` produces: the longer side becomes `maxSide`, the other keeps the
    /// aspect ratio (rounded, at least 1).
    public static func downsampledSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let longest = max(width, height)
        guard longest > maxSide else { return (width, height) }
        func scaled(_ side: Int) -> Int { max(1, min(maxSide, (side * maxSide + longest / 2) / longest)) }
        return (scaled(width), scaled(height))
    }
}
