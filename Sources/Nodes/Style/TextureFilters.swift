/// Texture statistics from fixed random filters: the image's Lab planes at a few scales (each
/// half the size of the one before, by 2×2 averaging), each convolved ("valid", no padding) with
/// C seeded random k×k filters and rectified. The distribution of the C-dimensional responses
/// over all positions describes the texture — random shallow networks suffice for that
/// (Ustyuzhaninov et al., ICLR 2017); the style loss compares those distributions with the
/// sliced Wasserstein distance (Heitz et al., CVPR 2021), scale by scale.
///
/// Every filter is zero-mean per input plane, so a flat colour gives no response: colour is the
/// colour term's business, structure this one's. Written by hand, forward and backward.
struct TextureFilters {
    let scales: Int
    let channels: Int
    let size: Int
    /// Further levels after the filtered ones, each half the size of the one before, that carry
    /// no filter responses (their features are empty): statistics of the planes themselves (the
    /// luminance gradients) reach structure coarser than the filters can.
    let coarseLevels: Int
    /// Per scale, [taps × channels] with taps = (plane, ky, kx): the response update is an axpy over channels.
    let weights: [[Float]]

    static let planes = 3

    init(scales: Int = 4, channels: Int = 16, size: Int = 5, coarseLevels: Int = 0, seed: UInt64) {
        self.scales = scales
        self.channels = channels
        self.size = size
        self.coarseLevels = coarseLevels
        var rng = SeededRandom(seed: seed, stream: 0x7E47)
        let taps = Self.planes * size * size
        weights = (0..<scales).map { _ in
            var w = [Float](repeating: 0, count: taps * channels)
            for c in 0..<channels {
                var filter = (0..<taps).map { _ in rng.nextGaussian() }
                for plane in 0..<Self.planes {
                    let range = (plane * size * size)..<((plane + 1) * size * size)
                    let mean = filter[range].reduce(0, +) / Float(range.count)
                    for t in range { filter[t] -= mean }
                }
                let norm = filter.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for t in 0..<taps { w[t * channels + c] = filter[t] / max(norm, 1e-6) }
            }
            return w
        }
    }

    /// One scale's planes and its responses (kept for the backward pass).
    struct Level {
        var width: Int
        var height: Int
        /// [3 × height × width], planar.
        var planes: [Float]
        /// Pre-rectification responses, [positions × channels], positions row-major over the valid area.
        var responses: [Float]
        /// max(responses, 0): the features compared.
        var features: [Float]
        var outWidth: Int { width - size + 1 }
        var outHeight: Int { height - size + 1 }
        let size: Int
    }

    /// The levels of `planes` ([3 × height × width]); a level too small for the filter ends the
    /// filtered ones. Then up to `coarseLevels` more without responses, down to 2 × 2.
    func forward(_ planes: [Float], width: Int, height: Int) -> [Level] {
        var levels: [Level] = []
        var current = planes, w = width, h = height
        for s in 0..<scales {
            if s > 0 { (current, w, h) = Self.halve(current, width: w, height: h) }
            guard w >= size, h >= size else { break }
            var level = Level(width: w, height: h, planes: current, responses: [], features: [], size: size)
            level.responses = convolve(current, width: w, height: h, scale: s)
            level.features = level.responses.map { $0 > 0 ? $0 : 0 }
            levels.append(level)
        }
        guard var last = levels.last else { return levels }
        for _ in 0..<coarseLevels {
            let (half, hw, hh) = Self.halve(last.planes, width: last.width, height: last.height)
            guard hw >= 2, hh >= 2 else { break }
            last = Level(width: hw, height: hh, planes: half, responses: [], features: [], size: size)
            levels.append(last)
        }
        return levels
    }

    /// d loss / d planes of level 0 from d loss / d features of each level, plus (if given) the
    /// gradient other statistics of a level put on that level's planes.
    func backward(_ levels: [Level], dFeatures: [[Float]], dPlanes levelPlanes: [[Float]] = []) -> [Float] {
        var dPlanes: [Float] = []
        for s in stride(from: levels.count - 1, through: 0, by: -1) {
            let level = levels[s]
            var d = [Float](repeating: 0, count: level.planes.count)
            if !dPlanes.isEmpty { d = Self.halveBackward(dPlanes, width: level.width, height: level.height) }
            if s < levelPlanes.count { for i in d.indices { d[i] += levelPlanes[s][i] } }
            if !level.responses.isEmpty {
                let dResponses = zip(dFeatures[s], level.responses).map { $1 > 0 ? $0 : 0 }
                convolveBackward(dResponses, width: level.width, height: level.height, scale: s, into: &d)
            }
            dPlanes = d
        }
        return dPlanes
    }

    private func convolve(_ planes: [Float], width: Int, height: Int, scale s: Int) -> [Float] {
        let ow = width - size + 1, oh = height - size + 1, c = channels
        var out = [Float](repeating: 0, count: ow * oh * c)
        weights[s].withUnsafeBufferPointer { wp in
            planes.withUnsafeBufferPointer { pp in
                out.withUnsafeMutableBufferPointer { op in
                    for y in 0..<oh {
                        for x in 0..<ow {
                            let o = op.baseAddress! + (y * ow + x) * c
                            var tap = 0
                            for plane in 0..<Self.planes {
                                for ky in 0..<size {
                                    let row = pp.baseAddress! + (plane * height + y + ky) * width + x
                                    for kx in 0..<size {
                                        let v = row[kx], wt = wp.baseAddress! + tap * c
                                        for j in 0..<c { o[j] += v * wt[j] }
                                        tap += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    private func convolveBackward(_ d: [Float], width: Int, height: Int, scale s: Int, into dPlanes: inout [Float]) {
        let ow = width - size + 1, oh = height - size + 1, c = channels
        weights[s].withUnsafeBufferPointer { wp in
            d.withUnsafeBufferPointer { dp in
                dPlanes.withUnsafeMutableBufferPointer { out in
                    for y in 0..<oh {
                        for x in 0..<ow {
                            let g = dp.baseAddress! + (y * ow + x) * c
                            var tap = 0
                            for plane in 0..<Self.planes {
                                for ky in 0..<size {
                                    let row = out.baseAddress! + (plane * height + y + ky) * width + x
                                    for kx in 0..<size {
                                        let wt = wp.baseAddress! + tap * c
                                        var sum: Float = 0
                                        for j in 0..<c { sum += g[j] * wt[j] }
                                        row[kx] += sum
                                        tap += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// 2×2 averages (an odd last row/column is dropped).
    static func halve(_ planes: [Float], width: Int, height: Int) -> ([Float], Int, Int) {
        let w = width / 2, h = height / 2
        var out = [Float](repeating: 0, count: Self.planes * w * h)
        for plane in 0..<Self.planes {
            for y in 0..<h {
                for x in 0..<w {
                    let base = (plane * height + 2 * y) * width + 2 * x
                    out[(plane * h + y) * w + x] = 0.25 * (planes[base] + planes[base + 1] + planes[base + width] + planes[base + width + 1])
                }
            }
        }
        return (out, w, h)
    }

    /// The gradient of `halve`: each half-size value's gradient spread over its 2×2 block.
    static func halveBackward(_ d: [Float], width: Int, height: Int) -> [Float] {
        let w = width / 2, h = height / 2
        var out = [Float](repeating: 0, count: Self.planes * width * height)
        for plane in 0..<Self.planes {
            for y in 0..<h {
                for x in 0..<w {
                    let g = 0.25 * d[(plane * h + y) * w + x]
                    let base = (plane * height + 2 * y) * width + 2 * x
                    out[base] += g; out[base + 1] += g; out[base + width] += g; out[base + width + 1] += g
                }
            }
        }
        return out
    }
}
