import CLookKernels
import Foundation

/// A compositional pattern-producing network: a per-pixel MLP from (x, y, r) to RGB.
///
/// Coordinates are aspect-corrected (the longer side spans [-π, π], pixels stay square) so a
/// style looks the same at every render size. The frame's latent enters as a per-frame bias
/// of the first layer (`latent · latent_weight`), which shifts the phases of every
/// downstream sine/cosine — small latent moves morph the pattern, large ones change it.
/// Hidden layers cycle sin, cos, gaussian, tanh; the output is a sigmoid per channel.
///
/// The whole frame is one call into `look_cppn_frame` (CLookKernels/cppn_body.h), which takes
/// tiles of 16 pixels through every layer inside L1: each product's bias and FMAs stay in
/// registers, the activation runs over the tile while it is still in L1. About 1.6× the frames
/// per second of OpenBLAS sgemm followed by the activations (BENCHMARKS.md, Look). One thread
/// per frame: parallelism comes from the scheduler rendering several shards, and the summation
/// order, hence the bytes, is fixed and the same on every x86-64 CPU.
public struct CPPN: FrameGenerator {
    /// Bump when frames for the same inputs change.
    public static let version = 5

    let weights: CPPNWeights
    let network: KernelNetwork
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
                throw CPPNError.badStyle(file: path, reason: (error as? SafetensorsError)?.reason ?? "\(error)")
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
        network = KernelNetwork(weights)
    }

    /// A CPPN with the given weights (e.g. fresh from style fitting).
    init(weights: CPPNWeights) {
        self.weights = weights
        network = KernelNetwork(weights)
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
        let (firstWeights, firstBias) = firstLayer(latent: latent, zoom: zoom, rotation: rotation)

        var image = RGBImage(width: width, height: height)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (2 * h + 3) * Int(LOOK_CPPN_TILE))
        defer { scratch.deallocate() }
        firstWeights.withUnsafeBufferPointer { fw in
            firstBias.withUnsafeBufferPointer { fb in
                var layout = network.layout(firstWeights: fw.baseAddress!, firstBias: fb.baseAddress!)
                coords.values.withUnsafeBufferPointer { c in
                    image.pixels.withUnsafeMutableBufferPointer { out in
                        look_cppn_frame(&layout, c.baseAddress, coords.stride, pixels, out.baseAddress, scratch)
                    }
                }
            }
        }
        return image
    }

    /// The frame's first layer: coordinate weights [3 × H] with the camera folded in, and the
    /// bias with the latent folded in.
    func firstLayer(latent: ArraySlice<Float>, zoom: Float, rotation: Float) -> (weights: [Float], bias: [Float]) {
        let h = weights.hidden
        let z = zoom.isFinite && zoom > 1e-3 ? zoom : 1
        let angle = rotation.isFinite ? rotation : 0
        let c = Foundation.cos(angle) / z, s = Foundation.sin(angle) / z
        var first = [Float](repeating: 0, count: 3 * h)
        var bias = weights.biases[0]
        for j in 0..<h {
            let wx = weights.coord[j], wy = weights.coord[h + j], wr = weights.coord[2 * h + j]
            // x' = c·x + s·y, y' = -s·x + c·y, r' = r/zoom
            first[j] = c * wx - s * wy
            first[h + j] = s * wx + c * wy
            first[2 * h + j] = wr / z
        }
        for (d, value) in latent.enumerated() {
            let v = value.isFinite ? value : 0
            for j in 0..<h { bias[j] += v * weights.latent[d * h + j] }
        }
        return (first, bias)
    }
}

/// The network's per-CPPN constants as the frame kernel reads them, built once: the hidden
/// layers' weights (in the kernel's block order), pre-biases and activation codes back to back,
/// and the output layer. Immutable after init; a class so the kernel's pointers stay valid
/// without copying (shared by every frame and thread).
final class KernelNetwork: @unchecked Sendable {
    let hidden: Int
    let layers: Int
    let weights: UnsafeMutableBufferPointer<Float>
    let biases: UnsafeMutableBufferPointer<Float>
    let activations: UnsafeMutableBufferPointer<Int32>
    let outWeight: UnsafeMutableBufferPointer<Float>
    let outBias: UnsafeMutableBufferPointer<Float>

    init(_ w: CPPNWeights) {
        hidden = w.hidden
        layers = w.layers
        let h = w.hidden, hiddenLayers = 1..<w.layers
        weights = .allocate(capacity: hiddenLayers.count * h * h)
        biases = .allocate(capacity: hiddenLayers.count * h)
        activations = .allocate(capacity: hiddenLayers.count)
        for (i, layer) in hiddenLayers.enumerated() {
            let activation = Activation.cycle[layer % Activation.cycle.count]
            look_cppn_pack_weights(w.weights[layer], h, h, weights.baseAddress! + i * h * h)
            _ = UnsafeMutableBufferPointer(rebasing: biases[(i * h)..<((i + 1) * h)]).initialize(from: activation.preBias(w.biases[layer]))
            activations[i] = activation.kernelKind
        }
        outWeight = .allocate(capacity: w.outWeight.count)  // [H × 3] is already the packed order
        _ = outWeight.initialize(from: w.outWeight)
        outBias = .allocate(capacity: 3)
        _ = outBias.initialize(from: w.outBias)
    }

    deinit {
        [weights, biases, outWeight, outBias].forEach { $0.deallocate() }
        activations.deallocate()
    }

    /// The kernel's view of one frame: these constants plus the frame's first layer.
    func layout(firstWeights: UnsafePointer<Float>, firstBias: UnsafePointer<Float>) -> look_cppn_net {
        look_cppn_net(hidden: hidden, layers: layers, first_weights: firstWeights, first_bias: firstBias,
                      weights: weights.baseAddress, biases: biases.baseAddress, activations: activations.baseAddress,
                      out_weight: outWeight.baseAddress, out_bias: outBias.baseAddress, out_values: nil)
    }
}

/// The (x, y, r) coordinates per frame size, planar (all x, then all y, then all r), each plane
/// padded with zeros to a whole number of the frame kernel's tiles; computed once and shared by
/// every frame (and every copy of the CPPN, across threads).
final class CoordinateCache: @unchecked Sendable {
    struct Planes: Sendable {
        let values: [Float]
        let stride: Int
    }

    private let lock = NSLock()
    private var cache: [Int: Planes] = [:]

    func coordinates(width: Int, height: Int) -> Planes {
        let key = width << 32 | height
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[key] { return c }
        let c = Self.make(width: width, height: height)
        if cache.count > 8 { cache.removeAll() }
        cache[key] = c
        return c
    }

    static func make(width: Int, height: Int) -> Planes {
        let longer = Float(max(width, height))
        let tile = Int(LOOK_CPPN_TILE)
        let stride = (width * height + tile - 1) / tile * tile
        var c = [Float](repeating: 0, count: 3 * stride)
        for row in 0..<height {
            // Pixel centres; y grows upwards like a plot.
            let y = -(2 * (Float(row) + 0.5) - Float(height)) / longer * .pi
            for col in 0..<width {
                let x = (2 * (Float(col) + 0.5) - Float(width)) / longer * .pi
                let i = row * width + col
                c[i] = x
                c[stride + i] = y
                c[2 * stride + i] = (x * x + y * y).squareRoot()
            }
        }
        return Planes(values: c, stride: stride)
    }
}
