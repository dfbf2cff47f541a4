import Foundation

/// How a picture's luminance power is shared out over frequency and orientation: the windowed
/// Fourier power of the whole frame, summed in half-octave rings split into four orientation
/// sectors, each ring-sector as a share of the total. The texture pyramid compares feature
/// distributions level by level, each on its own, and so leaves open how strongly each scale and
/// direction is present across the frame — the spectrum constraint of Liu, Gousseau and Xia
/// ("Texture synthesis through convolutional neural networks and spectrum constraints", ICPR
/// 2016), here as band shares rather than the full modulus, so that the picture's phase (where
/// things are) stays free for the latent to move.
///
/// The reference's shares come from its power averaged over square windows of the render's size
/// (Welch's method), so a reference wider than the render is described whole. The loss compares
/// the shares by their square roots (the Hellinger distance, which weighs a band by its
/// share rather than every band alike, as logarithms would).
///
/// Written by hand, forward and backward: a separable discrete Fourier transform of one
/// n × n plane (n is the fit's render size, 96 by default; FFTW's run-time choice of SIMD
/// codelets would make a style's bytes depend on the CPU that fitted it).
struct SpectralShares {
    let size: Int
    /// Band of each half-plane bin (kx in 0...n/2, ky in 0..<n, row-major by ky), -1 outside.
    private let band: [Int]
    let bands: Int
    private let window: [Float]
    private let cosTable: [Float]
    private let sinTable: [Float]

    init(size n: Int) {
        size = n
        let half = n / 2
        let rings = Int((2 * log2(Double(half))).rounded(.down)) + 1
        bands = rings * 4
        var band = [Int](repeating: -1, count: (half + 1) * n)
        for ky in 0..<n {
            let fy = Double(ky <= half ? ky : ky - n)
            for kx in 0...half {
                let fx = Double(kx)
                let r = (fx * fx + fy * fy).squareRoot()
                guard r >= 1, r <= Double(half) else { continue }
                let ring = min(rings - 1, Int(2 * log2(r)))
                // Angle in (-90°, 90°]; sectors of 45° centred on 0°, 45°, 90° and 135°.
                var degrees = atan2(fy, fx) * 180 / Double.pi
                if degrees <= -90 { degrees += 180 }
                let sector = Int(((degrees + 22.5) / 45).rounded(.down) + 4) % 4
                band[ky * (half + 1) + kx] = ring * 4 + sector
            }
        }
        self.band = band
        window = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / Double(n))) }
        cosTable = (0..<n).map { Float(cos(2 * Double.pi * Double($0) / Double(n))) }
        sinTable = (0..<n).map { Float(sin(2 * Double.pi * Double($0) / Double(n))) }
    }

    /// The transform of one plane: the mean taken out, windowed; half-plane bins, real and imaginary.
    private func transform(_ plane: [Float]) -> (re: [Float], im: [Float]) {
        let n = size, half = n / 2, columns = half + 1
        let mean = plane.reduce(0, +) / Float(n * n)
        // Rows: R(kx, y) = Σx v(x, y) e^(−2πi kx x / n).
        var rowRe = [Float](repeating: 0, count: columns * n), rowIm = rowRe
        for y in 0..<n {
            let wy = window[y]
            for kx in 0...half {
                var sr: Float = 0, si: Float = 0, t = 0
                for x in 0..<n {
                    let v = (plane[y * n + x] - mean) * window[x] * wy
                    sr += v * cosTable[t]
                    si -= v * sinTable[t]
                    t += kx; if t >= n { t -= n }
                }
                rowRe[y * columns + kx] = sr
                rowIm[y * columns + kx] = si
            }
        }
        // Columns: X(kx, ky) = Σy R(kx, y) e^(−2πi ky y / n).
        return columnTransform(rowRe, rowIm, sign: -1)
    }

    /// Along each column of the half plane: out(o, kx) = Σi in(i, kx) e^(sign · 2πi o i / n).
    private func columnTransform(_ re: [Float], _ im: [Float], sign: Float) -> (re: [Float], im: [Float]) {
        let n = size, width = n / 2 + 1
        var outRe = [Float](repeating: 0, count: width * n), outIm = outRe
        for o in 0..<n {
            for kx in 0..<width {
                var sr: Float = 0, si: Float = 0, t = 0
                for i in 0..<n {
                    let c = cosTable[t], s = sign * sinTable[t]
                    let a = re[i * width + kx], b = im[i * width + kx]
                    sr += a * c - b * s
                    si += a * s + b * c
                    t += o; if t >= n { t -= n }
                }
                outRe[o * width + kx] = sr
                outIm[o * width + kx] = si
            }
        }
        return (outRe, outIm)
    }

    private func bandPower(_ re: [Float], _ im: [Float]) -> [Double] {
        var power = [Double](repeating: 0, count: bands)
        for i in band.indices where band[i] >= 0 {
            power[band[i]] += Double(re[i] * re[i] + im[i] * im[i])
        }
        return power
    }

    private static func shares(_ power: [Double]) -> [Double] {
        let total = max(power.reduce(0, +), 1e-30)
        return power.map { $0 / total }
    }

    /// The reference's shares: band power averaged over the n × n windows of `plane` (width ×
    /// height) at half-window steps, the last flush with the edge. A side shorter than n is
    /// centred in the window and the rest filled with the plane's mean.
    func referenceShares(_ plane: [Float], width: Int, height: Int) -> [Double] {
        let n = size
        let mean = plane.reduce(0, +) / Float(max(plane.count, 1))
        func offsets(_ length: Int) -> [Int] {
            guard length > n else { return [(length - n) / 2] }
            var o = Array(stride(from: 0, through: length - n, by: max(n / 2, 1)))
            if o.last != length - n { o.append(length - n) }
            return o
        }
        var power = [Double](repeating: 0, count: bands)
        for y0 in offsets(height) {
            for x0 in offsets(width) {
                var crop = [Float](repeating: mean, count: n * n)
                for y in max(0, -y0)..<min(n, height - y0) {
                    for x in max(0, -x0)..<min(n, width - x0) { crop[y * n + x] = plane[(y0 + y) * width + x0 + x] }
                }
                let (re, im) = transform(crop)
                for (b, p) in bandPower(re, im).enumerated() { power[b] += p }
            }
        }
        return Self.shares(power)
    }

    /// Σ (√share − √reference share)² over the bands; adds its gradient (× `weight`) with
    /// respect to `plane` (n × n) to `dPlane`.
    func loss(_ plane: [Float], reference: [Double], weight: Float, into dPlane: inout [Float]) -> Double {
        let n = size, half = n / 2, columns = half + 1
        let (re, im) = transform(plane)
        let power = bandPower(re, im)
        let total = max(power.reduce(0, +), 1e-30)
        let share = power.map { $0 / total }
        let differences = (0..<bands).map { share[$0].squareRoot() - reference[$0].squareRoot() }
        // d loss / d share_b, then through share_b = P_b / Σ P to d loss / d P_b.
        let dShare = (0..<bands).map { share[$0] > 0 ? differences[$0] / share[$0].squareRoot() : 0 }
        let weighted = zip(dShare, share).reduce(0.0) { $0 + $1.0 * $1.1 }
        let dPower = dShare.map { ($0 - weighted) / total }
        // d loss / d X(k) = 2 · dPower(band of k) · X(k); back through the two transforms.
        var gRe = [Float](repeating: 0, count: columns * n), gIm = gRe
        for i in band.indices where band[i] >= 0 {
            let g = Float(2 * dPower[band[i]])
            gRe[i] = g * re[i]
            gIm[i] = g * im[i]
        }
        // Columns: Y(kx, y) = Σky G(kx, ky) e^(+2πi ky y / n).
        let (yRe, yIm) = columnTransform(gRe, gIm, sign: 1)
        // Rows: d v(x, y) = Re Σkx Y(kx, y) e^(+2πi kx x / n); then the window, then the mean.
        var dv = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                var sr: Float = 0, t = 0
                for kx in 0...half {
                    sr += yRe[y * columns + kx] * cosTable[t] - yIm[y * columns + kx] * sinTable[t]
                    t += x; if t >= n { t -= n }
                }
                dv[y * n + x] = sr * window[x] * window[y] * weight
            }
        }
        let meanGradient = dv.reduce(0, +) / Float(n * n)
        for p in 0..<(n * n) { dPlane[p] += dv[p] - meanGradient }
        return differences.reduce(0) { $0 + $1 * $1 }
    }
}
