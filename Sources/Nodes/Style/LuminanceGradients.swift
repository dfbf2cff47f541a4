/// Luminance gradients as a texture statistic: at a level of the texture pyramid, the forward
/// differences (∂x, ∂y) of its L*/100 plane at every pixel, a cloud of 2-D points. Compared as a
/// distribution (sliced Wasserstein, in `StyleLoss`), it says how much of the picture is flat,
/// how strong its edges are and which way they run — scale by scale. The random filters alone let
/// a fit keep a fine swirl over a reference's smooth areas: their 16 responses spread that excess
/// over many directions, where one plane of differences, mostly zero in a smooth reference,
/// pulls it out directly.
///
/// Written by hand, forward and backward: two subtractions per pixel.
enum LuminanceGradients {
    /// [positions × 2] for the (width − 1) × (height − 1) pixels that have both neighbours,
    /// row-major; `planes` is [3 × height × width] with L*/100 first.
    static func forward(_ planes: [Float], width: Int, height: Int) -> [Float] {
        let w = width - 1, h = height - 1
        guard w > 0, h > 0 else { return [] }
        var out = [Float](repeating: 0, count: 2 * w * h)
        for y in 0..<h {
            for x in 0..<w {
                let v = planes[y * width + x]
                out[2 * (y * w + x)] = planes[y * width + x + 1] - v
                out[2 * (y * w + x) + 1] = planes[(y + 1) * width + x] - v
            }
        }
        return out
    }

    /// Adds d loss / d planes (its L plane) for d loss / d gradients `d` ([positions × 2]).
    static func backward(_ d: [Float], width: Int, height: Int, into dPlanes: inout [Float]) {
        let w = width - 1, h = height - 1
        guard w > 0, h > 0 else { return }
        for y in 0..<h {
            for x in 0..<w {
                let gx = d[2 * (y * w + x)], gy = d[2 * (y * w + x) + 1]
                dPlanes[y * width + x + 1] += gx
                dPlanes[(y + 1) * width + x] += gy
                dPlanes[y * width + x] -= gx + gy
            }
        }
    }
}
