import CLookKernels
import COpenBLAS
import Foundation

/// A compositional pattern-producing network: a per-pixel MLP from (x, y, r) to RGB.
///
/// Coordinates are aspect-corrected (the longer side spans [-π, π], pixels stay square) so a
/// style looks the same at every render size. The frame's latent enters as a per-frame bias
/// of the first layer (`latent · latent_weight`), which shifts the phases of every
/// downstream sine/cosine — small latent moves morph the pattern, large ones change it.
/// Hidden layers cycle sin, cos, gaussian, tanh; the output is a sigmoid per channel.
///
/// The matrix work is `cblas_sgemm` over blocks of ~4096 pixels (large enough for the BLAS
/// kernel to run at speed, small enough for the activations to stay in L2). OpenBLAS is set
/// to one thread: parallelism comes from the scheduler rendering several shards, and a
/// fixed thread count keeps the floating-point summation order, hence the bytes, fixed.
public struct CPPN: FrameGenerator {
    /// Bump when frames for the same inputs change.
    public static let version = 2

    let weights: CPPNWeights
    private let coordinates = CoordinateCache()

    public var hidden: Int { weights.hidden }
    public var layers: Int { weights.layers }
    public var latentDim: Int { weights.latentDim }

    /// Seeded from `config.seed` with `config.hidden` × `config.layers`, unless `config.weights`
    /// names a style file (a path the caller has already resolved against the Buildfile), whose
    /// metadata then sets the architecture.
    public init(config: GeneratorConfig, latentDim: Int) throws {
        guard config.kind == "cppn" else {
            throw CPPNError.invalidConfig(key: "generator.kind", reason: "'\(config.kind)' is not a CPPN")
        }
        guard latentDim >= 1 else {
            throw CPPNError.invalidConfig(key: "controller.latent_dim", reason: "must be at least 1, got \(latentDim)")
        }
        if let path = config.weights {
            let style: Safetensors
            do { style = try Safetensors.read(path: path) } catch {
                throw CPPNError.badStyle(file: path, reason: "\(error)")
            }
            weights = try CPPNWeights(style: style, file: path, latentDim: latentDim)
        } else {
            guard (1...1024).contains(config.hidden) else {
                throw CPPNError.invalidConfig(key: "generator.hidden", reason: "must be in 1...1024, got \(config.hidden)")
            }
            guard (1...64).contains(config.layers) else {
                throw CPPNError.invalidConfig(key: "generator.layers", reason: "must be in 1...64, got \(config.layers)")
            }
            weights = CPPNWeights(hidden: config.hidden, layers: config.layers, latentDim: latentDim,
                                  seed: UInt64(bitPattern: Int64(config.seed)))
        }
        openblas_set_num_threads(1)
    }

    /// The weights as a style file (safetensors with the architecture in its metadata).
    public var style: Safetensors { weights.style }

    public func render(latent: ArraySlice<Float>, width: Int, height: Int) -> RGBImage {
        render(latent: latent, width: width, height: height, zoom: 1, rotation: 0)
    }

    /// Renders with a camera: `zoom` > 1 magnifies about the centre, `rotation` (radians) turns
    /// the pattern. Both are folded into the first layer's coordinate weights, so they cost
    /// nothing and need no resampling (feed the trajectory's `zoom`/`rotation` curves here).
    public func render(latent: ArraySlice<Float>, width: Int, height: Int, zoom: Float, rotation: Float) -> RGBImage {
        precondition(latent.count == weights.latentDim, "latent has \(latent.count) values, CPPN expects \(weights.latentDim)")
        let h = weights.hidden
        let pixels = width * height
        let coords = coordinates.coordinates(width: width, height: height)

        // Per-frame first layer: camera-folded coordinate weights and latent bias.
        let z = zoom.isFinite && zoom > 1e-3 ? zoom : 1
        let angle = rotation.isFinite ? rotation : 0
        let c = Foundation.cos(angle) / z, s = Foundation.sin(angle) / z
        var firstWeights = [Float](repeating: 0, count: 3 * h)
        var firstBias = weights.biases[0]
        for j in 0..<h {
            let wx = weights.coord[j], wy = weights.coord[h + j], wr = weights.coord[2 * h + j]
            // x' = c·x + s·y, y' = -s·x + c·y, r' = r/zoom
            firstWeights[j] = c * wx - s * wy
            firstWeights[h + j] = s * wx + c * wy
            firstWeights[2 * h + j] = wr / z
        }
        for (d, value) in latent.enumerated() {
            let v = value.isFinite ? value : 0
            for j in 0..<h { firstBias[j] += v * weights.latent[d * h + j] }
        }

        let preBiases = weights.biases.enumerated().map { layer, bias in
            layer == 0 ? bias : Activation.cycle[layer % Activation.cycle.count].preBias(bias)
        }
        var image = RGBImage(width: width, height: height)
        let block = CPPN.blockPixels
        let a = UnsafeMutablePointer<Float>.allocate(capacity: block * h)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: block * h)
        let o = UnsafeMutablePointer<Float>.allocate(capacity: block * 3)
        defer { a.deallocate(); b.deallocate(); o.deallocate() }

        coords.withUnsafeBufferPointer { coordBuffer in
            image.pixels.withUnsafeMutableBufferPointer { out in
                var start = 0
                while start < pixels {
                    let count = min(block, pixels - start)
                    var current = a, next = b
                    // First layer fused with its sine: a K=3 product is memory traffic, not math,
                    // and writing it out for sgemm would cost more than computing it in place.
                    firstWeights.withUnsafeBufferPointer { w in
                        firstBias.withUnsafeBufferPointer { b in
                            look_sin_affine(current, coordBuffer.baseAddress! + start * 3, count, w.baseAddress!, b.baseAddress!, h)
                        }
                    }
                    // Each product lands on rows pre-filled with the layer's bias (sgemm with beta = 1):
                    // bias + Σ rounds exactly like Σ + bias, and it saves OpenBLAS's pass zeroing C
                    // and the activations' bias loads.
                    for layer in 1..<weights.layers {
                        Self.fillRows(next, rows: count, with: preBiases[layer])
                        Self.gemm(current, weights.weights[layer], next, rows: count, inner: h, cols: h, accumulate: true)
                        Activation.cycle[layer % Activation.cycle.count].apply(next, rows: count, width: h)
                        swap(&current, &next)
                    }
                    Self.fillRows(o, rows: count, with: weights.outBias)
                    Self.gemm(current, weights.outWeight, o, rows: count, inner: h, cols: 3, accumulate: true)
                    look_sigmoid_bytes(o, nil, count, out.baseAddress! + start * 3)
                    start += count
                }
            }
        }
        return image
    }

    static let blockPixels = 4096

    /// C[rows × cols] = A[rows × inner] · B[inner × cols] (+ C when `accumulate`), all row-major.
    @inline(__always)
    static func gemm(_ a: UnsafePointer<Float>, _ b: [Float], _ c: UnsafeMutablePointer<Float>, rows: Int, inner: Int, cols: Int,
                     accumulate: Bool = false) {
        b.withUnsafeBufferPointer { bp in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(cols), Int32(inner),
                        1, a, Int32(inner), bp.baseAddress!, Int32(cols), accumulate ? 1 : 0, c, Int32(cols))
        }
    }

    @inline(__always)
    static func gemm(_ a: UnsafeMutablePointer<Float>, _ b: [Float], _ c: UnsafeMutablePointer<Float>, rows: Int, inner: Int, cols: Int,
                     accumulate: Bool = false) {
        gemm(UnsafePointer(a), b, c, rows: rows, inner: inner, cols: cols, accumulate: accumulate)
    }

    /// Copies `row` into each of `rows` consecutive rows of `x`, doubling the filled part with
    /// each copy (a few large copies instead of one small copy per row).
    static func fillRows(_ x: UnsafeMutablePointer<Float>, rows: Int, with row: [Float]) {
        guard rows > 0 else { return }
        let width = row.count
        row.withUnsafeBufferPointer { x.update(from: $0.baseAddress!, count: width) }
        var filled = 1
        while filled < rows {
            let n = min(filled, rows - filled)
            (x + filled * width).update(from: x, count: n * width)
            filled += n
        }
    }
}

/// The (x, y, r) matrix per frame size, computed once and shared by every frame (and every
/// copy of the CPPN, across threads).
final class CoordinateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [Int: [Float]] = [:]

    func coordinates(width: Int, height: Int) -> [Float] {
        let key = width << 32 | height
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[key] { return c }
        let c = Self.make(width: width, height: height)
        if cache.count > 8 { cache.removeAll() }
        cache[key] = c
        return c
    }

    static func make(width: Int, height: Int) -> [Float] {
        let longer = Float(max(width, height))
        var c = [Float](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            // Pixel centres; y grows upwards like a plot.
            let y = -(2 * (Float(row) + 0.5) - Float(height)) / longer * .pi
            for col in 0..<width {
                let x = (2 * (Float(col) + 0.5) - Float(width)) / longer * .pi
                let i = (row * width + col) * 3
                c[i] = x
                c[i + 1] = y
                c[i + 2] = (x * x + y * y).squareRoot()
            }
        }
        return c
    }
}
