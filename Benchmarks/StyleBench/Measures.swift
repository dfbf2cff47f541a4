import Foundation
import Nodes

/// The benchmark's own distances between a set of renders and a reference — deliberately not
/// the fitting loss:
/// - **colour**: sliced Wasserstein distance between the pixels' CIELAB values over 64 fixed
///   directions (another seed than any fit's), as the root of the mean squared difference of
///   sorted projections: ΔE-like units.
/// - **texture**: of the luminance, the radially averaged power spectrum (16 octave-spaced
///   bands, normalised to sum 1) and the histogram of gradient orientations (12 bins over 180°,
///   weighted by gradient magnitude, normalised), each compared by L1 distance; their sum.
///
/// The reference is described whole, as the fit sees it (its shorter side at the render size):
/// its colours are all its pixels, its orientation histogram covers all of it, and its spectrum
/// is the power averaged over the render-sized windows at half-window steps (Welch's method).
/// `Reference.centre` describes its centre square only, the measure of the runs before
/// 1 December 2026 (the fourth session), kept for comparison.
/// - **motion**: the mean absolute difference (8-bit levels) between renders at different latents.
enum Measures {
    static func lab(_ image: RGBImage) -> [Float] {
        var out = [Float](repeating: 0, count: image.width * image.height * 3)
        for p in 0..<(image.width * image.height) {
            let c = LabColor(r: image.pixels[3 * p], g: image.pixels[3 * p + 1], b: image.pixels[3 * p + 2])
            out[3 * p] = Float(c.l); out[3 * p + 1] = Float(c.a); out[3 * p + 2] = Float(c.b)
        }
        return out
    }

    static func colourDistance(_ renders: [RGBImage], _ reference: RGBImage) -> Double {
        let a = renders.flatMap(lab), b = lab(reference)
        var random = SeededRandom(seed: 0xBE7C4)
        var total = 0.0
        let slices = 64
        for _ in 0..<slices {
            var d = (0..<3).map { _ in random.nextGaussian() }
            let norm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
            d = d.map { $0 / norm }
            func projected(_ points: [Float]) -> [Float] {
                (0..<(points.count / 3)).map { points[3 * $0] * d[0] + points[3 * $0 + 1] * d[1] + points[3 * $0 + 2] * d[2] }.sorted()
            }
            let pa = projected(a), pb = projected(b)
            var sum = 0.0
            for i in 0..<pa.count {
                let j = min(pb.count - 1, (2 * i + 1) * pb.count / (2 * pa.count))
                sum += Double((pa[i] - pb[j]) * (pa[i] - pb[j]))
            }
            total += sum / Double(pa.count)
        }
        return (total / Double(slices)).squareRoot()
    }

    /// L* of a square crop of side `size` with its corner at (x0, y0); the centre's by default.
    static func luminance(_ image: RGBImage, size: Int, at corner: (x: Int, y: Int)? = nil) -> [Double] {
        let l = lab(image)
        let (x0, y0) = corner ?? ((image.width - size) / 2, (image.height - size) / 2)
        var out = [Double](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size { out[y * size + x] = Double(l[3 * ((y + y0) * image.width + x + x0)]) } }
        return out
    }

    /// A reference's texture descriptors and its pixels for the colour distance.
    struct Reference {
        let image: RGBImage
        let spectrum: [Double]
        let orientations: [Double]

        /// All of `image` (at least `size` on each side).
        init(whole image: RGBImage, size: Int) {
            self.image = image
            func offsets(_ length: Int) -> [Int] {
                var o = Array(stride(from: 0, through: length - size, by: size / 2))
                if o.last != length - size { o.append(length - size) }
                return o
            }
            var power = [Double](repeating: 0, count: 16)
            for y0 in offsets(image.height) {
                for x0 in offsets(image.width) {
                    let bands = Measures.spectrum(Measures.luminance(image, size: size, at: (x0, y0)), size: size, normalised: false)
                    for i in 0..<16 { power[i] += bands[i] }
                }
            }
            let total = max(power.reduce(0, +), 1e-12)
            spectrum = power.map { $0 / total }
            let l = Measures.lab(image)
            orientations = Measures.orientations((0..<(image.width * image.height)).map { Double(l[3 * $0]) },
                                                 width: image.width, height: image.height)
        }

        /// Its centre square of side `size` only.
        init(centre image: RGBImage, size: Int) {
            self.image = centreCrop(image, size)
            let l = Measures.luminance(image, size: size)
            spectrum = Measures.spectrum(l, size: size)
            orientations = Measures.orientations(l, width: size, height: size)
        }
    }

    /// 16 radial bands of the power spectrum (octave-spaced from 1 cycle per image), summing to 1.
    static func spectrum(_ l: [Double], size n: Int, normalised: Bool = true) -> [Double] {
        let mean = l.reduce(0, +) / Double(l.count)
        // Hann window against the edges' leakage.
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / Double(n)) }
        var re = [Double](repeating: 0, count: n * n), im = re
        for y in 0..<n { for x in 0..<n { re[y * n + x] = (l[y * n + x] - mean) * window[x] * window[y] } }
        let cosTable = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let sinTable = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
        func dft(_ re: inout [Double], _ im: inout [Double], stride: Int, offset: Int) {
            var r = [Double](repeating: 0, count: n), i = r
            for k in 0..<n {
                var sr = 0.0, si = 0.0
                for t in 0..<n {
                    let a = re[offset + t * stride], b = im[offset + t * stride]
                    let c = cosTable[(k * t) % n], s = sinTable[(k * t) % n]
                    sr += a * c + b * s
                    si += b * c - a * s
                }
                r[k] = sr; i[k] = si
            }
            for k in 0..<n { re[offset + k * stride] = r[k]; im[offset + k * stride] = i[k] }
        }
        for y in 0..<n { dft(&re, &im, stride: 1, offset: y * n) }
        for x in 0..<n { dft(&re, &im, stride: n, offset: x) }
        let bands = 16
        var power = [Double](repeating: 0, count: bands)
        let maxRadius = Double(n) / 2
        for y in 0..<n {
            for x in 0..<n {
                let fy = Double(y <= n / 2 ? y : y - n), fx = Double(x <= n / 2 ? x : x - n)
                let r = (fx * fx + fy * fy).squareRoot()
                guard r >= 1, r <= maxRadius else { continue }
                let band = min(bands - 1, Int(log2(r) / log2(maxRadius) * Double(bands)))
                power[band] += re[y * n + x] * re[y * n + x] + im[y * n + x] * im[y * n + x]
            }
        }
        guard normalised else { return power }
        let total = max(power.reduce(0, +), 1e-12)
        return power.map { $0 / total }
    }

    /// 12 orientation bins over 180° of Sobel gradients, weighted by magnitude, summing to 1.
    static func orientations(_ l: [Double], width: Int, height: Int) -> [Double] {
        var bins = [Double](repeating: 0, count: 12)
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                func v(_ dx: Int, _ dy: Int) -> Double { l[(y + dy) * width + x + dx] }
                let gx = v(1, -1) + 2 * v(1, 0) + v(1, 1) - v(-1, -1) - 2 * v(-1, 0) - v(-1, 1)
                let gy = v(-1, 1) + 2 * v(0, 1) + v(1, 1) - v(-1, -1) - 2 * v(0, -1) - v(1, -1)
                let magnitude = (gx * gx + gy * gy).squareRoot()
                var angle = atan2(gy, gx)
                if angle < 0 { angle += Double.pi }
                bins[min(11, Int(angle / Double.pi * 12))] += magnitude
            }
        }
        let total = max(bins.reduce(0, +), 1e-12)
        return bins.map { $0 / total }
    }

    /// Texture descriptors averaged over the renders, then L1 distances to the reference's:
    /// the power-spectrum term and the orientation term (the texture distance is their sum).
    static func textureParts(_ renders: [RGBImage], _ reference: Reference, size: Int) -> (spectrum: Double, orientation: Double) {
        func describe(_ image: RGBImage) -> ([Double], [Double]) {
            let l = luminance(image, size: size)
            return (spectrum(l, size: size), orientations(l, width: size, height: size))
        }
        let ref = (reference.spectrum, reference.orientations)
        let described = renders.map(describe)
        let s = (0..<16).map { i in described.map { $0.0[i] }.reduce(0, +) / Double(described.count) }
        let o = (0..<12).map { i in described.map { $0.1[i] }.reduce(0, +) / Double(described.count) }
        return (zip(s, ref.0).map { abs($0 - $1) }.reduce(0, +), zip(o, ref.1).map { abs($0 - $1) }.reduce(0, +))
    }

    /// The 16 spectrum bands of the luminance, averaged over `images` (for `--parts`).
    static func spectrumBands(_ images: [RGBImage], size: Int) -> [Double] {
        let described = images.map { spectrum(luminance($0, size: size), size: size) }
        return (0..<16).map { i in described.map { $0[i] }.reduce(0, +) / Double(described.count) }
    }

    static func motion(_ renders: [RGBImage]) -> Double {
        var total = 0.0, pairs = 0
        for i in 0..<renders.count {
            for j in (i + 1)..<renders.count {
                total += zip(renders[i].pixels, renders[j].pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(renders[i].pixels.count)
                pairs += 1
            }
        }
        return total / Double(max(pairs, 1))
    }
}
