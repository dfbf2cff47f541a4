/// Where light, dark and colour sit in the frame: the picture averaged down to a thumbnail of
/// `side` × `side` (6 × 6 by default: blocks of 16 pixels at size 96), compared square by square
/// with the same thumbnail of the reference's centre square. Every other term of the style loss
/// compares distributions and so is blind to layout: a style fitted to a bright rocket against a
/// dark sky spreads its light evenly over the frame. This term asks every latent for the
/// reference's composition at thumbnail scale — the music still moves everything finer.
///
/// Written by hand, forward and backward: block averages and a squared distance.
enum Composition {
    static let side = 6

    /// The mean of each of `side` × `side` blocks of the centre square of planar `planes`
    /// ([3 × height × width]); blocks of unequal size when the square's side is not a multiple.
    static func thumbnail(_ planes: [Float], width: Int, height: Int, side t: Int = side) -> [Float] {
        let square = min(width, height), x0 = (width - square) / 2, y0 = (height - square) / 2
        var out = [Float](repeating: 0, count: 3 * t * t)
        for c in 0..<3 {
            for by in 0..<t {
                let rows = (y0 + by * square / t)..<(y0 + (by + 1) * square / t)
                for bx in 0..<t {
                    let columns = (x0 + bx * square / t)..<(x0 + (bx + 1) * square / t)
                    var sum: Float = 0
                    for y in rows { for x in columns { sum += planes[(c * height + y) * width + x] } }
                    out[(c * t + by) * t + bx] = sum / Float(max(rows.count * columns.count, 1))
                }
            }
        }
        return out
    }

    /// Mean squared difference of the render's thumbnail (square planar `planes`, size × size)
    /// from `target`; adds d loss / d planes (× `weight`) into `dPlanes`.
    static func loss(_ planes: [Float], size: Int, target: [Float], weight: Float, into dPlanes: inout [Float]) -> Double {
        let t = Int(Double(target.count / 3).squareRoot())
        let thumb = thumbnail(planes, width: size, height: size, side: t)
        var total = 0.0
        for c in 0..<3 {
            for by in 0..<t {
                let rows = (by * size / t)..<((by + 1) * size / t)
                for bx in 0..<t {
                    let columns = (bx * size / t)..<((bx + 1) * size / t)
                    let i = (c * t + by) * t + bx
                    let difference = thumb[i] - target[i]
                    total += Double(difference * difference)
                    let g = weight * 2 * difference / Float(target.count) / Float(max(rows.count * columns.count, 1))
                    for y in rows { for x in columns { dPlanes[(c * size + y) * size + x] += g } }
                }
            }
        }
        return total / Double(target.count)
    }
}
