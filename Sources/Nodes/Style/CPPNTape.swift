/// The CPPN's forward pass with every layer's pre-activations kept, and its backward pass:
/// what style fitting differentiates. Written by hand because no library on this machine does
/// automatic differentiation for Swift on Linux.
///
/// It computes the same function as the frame kernel (`CPPN.render`): layer 0 is
/// sin(coords·W + latent·L + b), layer i applies `Activation.cycle[i % 4]` to a_{i-1}·W_i + b_i,
/// and the output is a sigmoid per channel. Not the same bits — it uses Foundation's libm and
/// its own summation order — which is fine: the fitted weights are what is kept, and every frame
/// made from them goes through the kernel.
///
/// Layout is pixel-major (`a[n·H + j]`), so every product below is a sequence of axpy updates
/// over a contiguous row (`row += s · other`), loops LLVM vectorises without reassociating a sum:
/// the result is the same on every x86-64 CPU and at any thread count.
import Foundation

final class CPPNTape {
    let hidden: Int
    let layers: Int
    let pixels: Int
    /// Pre-activations z_i and activations a_i, [pixels × hidden] per layer.
    private(set) var z: [[Float]]
    private(set) var a: [[Float]]
    /// The output colours after the sigmoid, [pixels × 3] in 0…1.
    private(set) var rgb: [Float]
    private var scratch: [Float]
    private var scratch2: [Float]

    /// The floats a tape holds (what `init` allocates): z and a per layer, two scratch planes, rgb.
    static func floats(hidden: Int, layers: Int, pixels: Int) -> Int {
        (2 * layers + 2) * pixels * hidden + 3 * pixels
    }

    init(hidden: Int, layers: Int, pixels: Int) {
        self.hidden = hidden
        self.layers = layers
        self.pixels = pixels
        z = Array(repeating: [Float](repeating: 0, count: pixels * hidden), count: layers)
        a = z
        rgb = [Float](repeating: 0, count: pixels * 3)
        scratch = [Float](repeating: 0, count: pixels * hidden)
        scratch2 = scratch
    }

    /// Runs the network on `coordinates` (planar x, y, r, each of `stride` ≥ pixels values) at `latent`.
    func forward(_ w: CPPNWeights, coordinates: [Float], stride: Int, latent: [Float]) {
        let h = hidden, n = pixels
        precondition(w.hidden == h && w.layers == layers && latent.count == w.latentDim)
        var bias0 = w.biases[0]
        for (d, v) in latent.enumerated() {
            for j in 0..<h { bias0[j] += v * w.latent[d * h + j] }
        }
        coordinates.withUnsafeBufferPointer { c in
            z[0].withUnsafeMutableBufferPointer { z0 in
                for p in 0..<n {
                    let x = c[p], y = c[stride + p], r = c[2 * stride + p]
                    let row = z0.baseAddress! + p * h
                    for j in 0..<h { row[j] = bias0[j] + x * w.coord[j] + y * w.coord[h + j] + r * w.coord[2 * h + j] }
                }
            }
        }
        activate(0)
        for layer in 1..<max(layers, 1) {
            Self.affine(a[layer - 1], w.weights[layer], w.biases[layer], rows: n, inner: h, outputs: h, into: &z[layer])
            activate(layer)
        }
        Self.affine(a[layers - 1], w.outWeight, w.outBias, rows: n, inner: h, outputs: 3, into: &rgb)
        for i in 0..<(n * 3) { rgb[i] = TrainingMath.sigmoid(rgb[i]) }
    }

    private func activate(_ layer: Int) {
        let kind = layer == 0 ? Activation.sin : Activation.cycle[layer % Activation.cycle.count]
        z[layer].withUnsafeBufferPointer { zs in
            a[layer].withUnsafeMutableBufferPointer { out in
                let count = zs.count
                // One loop per kind, so each vectorises.
                switch kind {
                case .sin: for i in 0..<count { out[i] = TrainingMath.sin(zs[i]) }
                case .cos: for i in 0..<count { out[i] = TrainingMath.cos(zs[i]) }
                case .gaussian: for i in 0..<count { out[i] = TrainingMath.gaussian(zs[i]) }
                case .tanh: for i in 0..<count { out[i] = TrainingMath.tanh(zs[i]) }
                }
            }
        }
    }

    /// Back-propagates d loss / d rgb ([pixels × 3]) into `gradient` (added to what it holds).
    /// The latent weights get their gradient too; the fitter decides whether to use it.
    func backward(_ w: CPPNWeights, coordinates: [Float], stride: Int, latent: [Float],
                  dRGB: [Float], into gradient: inout CPPNWeights) {
        let h = hidden, n = pixels
        // Through the sigmoid.
        var dOut = [Float](repeating: 0, count: n * 3)
        for i in 0..<(n * 3) { dOut[i] = dRGB[i] * rgb[i] * (1 - rgb[i]) }
        Self.accumulateWeightGradient(a[layers - 1], dOut, rows: n, inner: h, outputs: 3,
                                      weight: &gradient.outWeight, bias: &gradient.outBias)
        // da_{L-1} = dOut · outWeightᵀ
        Self.affineTransposed(dOut, w.outWeight, rows: n, inner: h, outputs: 3, into: &scratch)
        for layer in Swift.stride(from: layers - 1, through: 0, by: -1) {
            let kind = layer == 0 ? Activation.sin : Activation.cycle[layer % Activation.cycle.count]
            // dz = da ⊙ act'(z), in place in scratch.
            z[layer].withUnsafeBufferPointer { zs in
                a[layer].withUnsafeBufferPointer { ys in
                    scratch.withUnsafeMutableBufferPointer { d in
                        switch kind {
                        case .sin: for i in 0..<(n * h) { d[i] *= TrainingMath.cos(zs[i]) }
                        case .cos: for i in 0..<(n * h) { d[i] *= -TrainingMath.sin(zs[i]) }
                        case .gaussian: for i in 0..<(n * h) { d[i] *= -2 * zs[i] * ys[i] }
                        case .tanh: for i in 0..<(n * h) { d[i] *= 1 - ys[i] * ys[i] }
                        }
                    }
                }
            }
            if layer > 0 {
                Self.accumulateWeightGradient(a[layer - 1], scratch, rows: n, inner: h, outputs: h,
                                              weight: &gradient.weights[layer], bias: &gradient.biases[layer])
                Self.affineTransposed(scratch, w.weights[layer], rows: n, inner: h, outputs: h, into: &scratch2)
                swap(&scratch, &scratch2)
            } else {
                var sum = [Float](repeating: 0, count: h)
                coordinates.withUnsafeBufferPointer { c in
                    for p in 0..<n {
                        let x = c[p], y = c[stride + p], r = c[2 * stride + p]
                        for j in 0..<h {
                            let g = scratch[p * h + j]
                            gradient.coord[j] += x * g
                            gradient.coord[h + j] += y * g
                            gradient.coord[2 * h + j] += r * g
                            sum[j] += g
                        }
                    }
                }
                for j in 0..<h { gradient.biases[0][j] += sum[j] }
                for (d, v) in latent.enumerated() {
                    for j in 0..<h { gradient.latent[d * h + j] += v * sum[j] }
                }
            }
        }
    }

    /// out[p][j] = bias[j] + Σ_k in[p][k] · w[k][j]  (w is [inner × outputs], row-major).
    static func affine(_ input: [Float], _ w: [Float], _ bias: [Float], rows: Int, inner: Int, outputs: Int, into out: inout [Float]) {
        input.withUnsafeBufferPointer { inp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    for p in 0..<rows {
                        let o = op.baseAddress! + p * outputs
                        for j in 0..<outputs { o[j] = bias[j] }
                        accumulateRows(into: o, count: outputs, scales: inp.baseAddress! + p * inner, scaleStride: 1,
                                       rows: wp.baseAddress!, rowStride: outputs, terms: inner)
                    }
                }
            }
        }
    }

    /// out[p][k] = Σ_j d[p][j] · w[k][j]: the gradient of a layer's input, through its weights.
    static func affineTransposed(_ d: [Float], _ w: [Float], rows: Int, inner: Int, outputs: Int, into out: inout [Float]) {
        // wT[j][k] so the update is an axpy over k.
        var wT = [Float](repeating: 0, count: inner * outputs)
        for k in 0..<inner { for j in 0..<outputs { wT[j * inner + k] = w[k * outputs + j] } }
        d.withUnsafeBufferPointer { dp in
            wT.withUnsafeBufferPointer { tp in
                out.withUnsafeMutableBufferPointer { op in
                    for p in 0..<rows {
                        let o = op.baseAddress! + p * inner
                        for k in 0..<inner { o[k] = 0 }
                        accumulateRows(into: o, count: inner, scales: dp.baseAddress! + p * outputs, scaleStride: 1,
                                       rows: tp.baseAddress!, rowStride: inner, terms: outputs)
                    }
                }
            }
        }
    }

    /// weight[k][j] += Σ_p in[p][k] · d[p][j];  bias[j] += Σ_p d[p][j]  (p ascending).
    static func accumulateWeightGradient(_ input: [Float], _ d: [Float], rows: Int, inner: Int, outputs: Int,
                                         weight: inout [Float], bias: inout [Float]) {
        input.withUnsafeBufferPointer { inp in
            d.withUnsafeBufferPointer { dp in
                weight.withUnsafeMutableBufferPointer { wp in
                    bias.withUnsafeMutableBufferPointer { bp in
                        let ones = [Float](repeating: 1, count: rows)
                        ones.withUnsafeBufferPointer { one in
                            accumulateRows(into: bp.baseAddress!, count: outputs, scales: one.baseAddress!, scaleStride: 1,
                                           rows: dp.baseAddress!, rowStride: outputs, terms: rows)
                        }
                        // Four pixels at a time for every k: their rows of d and the whole gradient stay in L1.
                        for p in stride(from: 0, to: rows, by: 4) {
                            for k in 0..<inner {
                                accumulateRows(into: wp.baseAddress! + k * outputs, count: outputs, scales: inp.baseAddress! + p * inner + k,
                                               scaleStride: inner, rows: dp.baseAddress! + p * outputs, rowStride: outputs, terms: min(4, rows - p))
                            }
                        }
                    }
                }
            }
        }
    }

    /// target[j] += scales[t·scaleStride] · rows[t·rowStride + j] for t = 0, 1, … in order — the
    /// one loop every product above is made of. Four terms per pass over `target` (each element
    /// still gets its terms one at a time, in order, so the bits are those of the plain loop)
    /// keeps the target row out of memory between terms.
    @inline(__always)
    static func accumulateRows(into target: UnsafeMutablePointer<Float>, count: Int, scales: UnsafePointer<Float>, scaleStride: Int,
                               rows: UnsafePointer<Float>, rowStride: Int, terms: Int) {
        var t = 0
        while t + 4 <= terms {
            let s0 = scales[t * scaleStride], s1 = scales[(t + 1) * scaleStride]
            let s2 = scales[(t + 2) * scaleStride], s3 = scales[(t + 3) * scaleStride]
            let r0 = rows + t * rowStride, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride
            for j in 0..<count {
                var v = target[j] + s0 * r0[j]
                v = v + s1 * r1[j]
                v = v + s2 * r2[j]
                target[j] = v + s3 * r3[j]
            }
            t += 4
        }
        while t < terms {
            let s = scales[t * scaleStride], r = rows + t * rowStride
            for j in 0..<count { target[j] += s * r[j] }
            t += 1
        }
    }
}

extension CPPNWeights {
    /// The same architecture with every value 0: a gradient accumulator.
    func zeros() -> CPPNWeights {
        var z = self
        z.forEachParameter { array in for i in array.indices { array[i] = 0 } }
        return z
    }

    /// Every parameter array in a fixed order: coord, latent, biases, weights, out weight, out bias.
    mutating func forEachParameter(_ f: (inout [Float]) -> Void) {
        f(&coord)
        f(&latent)
        for i in 0..<biases.count { f(&biases[i]) }
        for i in 0..<weights.count { f(&weights[i]) }
        f(&outWeight)
        f(&outBias)
    }

    /// All parameters as one vector, in `forEachParameter`'s order.
    var flattened: [Float] {
        var copy = self
        var out: [Float] = []
        copy.forEachParameter { out += $0 }
        return out
    }

    /// Replaces every parameter with the values of `vector` (from `flattened` of the same architecture).
    mutating func assign(_ vector: [Float]) {
        var offset = 0
        forEachParameter { array in
            for i in array.indices { array[i] = vector[offset + i] }
            offset += array.count
        }
        precondition(offset == vector.count, "parameter vector has \(vector.count) values, the network \(offset)")
    }
}
