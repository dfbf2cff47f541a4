import COpenBLAS
import Foundation
import Nodes

/// The look benchmark (`ntsbench look`), in one process:
/// - `sgemm`: OpenBLAS alone on the matrix products of one CPPN frame (blocks of
///   `referenceBlock` pixels × H·H per hidden layer, × H·3 for the output: the shapes at which
///   OpenBLAS runs fastest), the reference;
/// - `render`: the CPPN rendering whole frames (its own fused kernel: products, activations,
///   first layer and bytes), the same FLOPs divided by its wall time, so render/sgemm compares
///   a whole frame with the products alone as OpenBLAS computes them;
/// - `shards`: two shards (CPPN + shard writer, as a `frames:` node does) one after the other
///   on one thread, then on two threads at once: how the scheduler's `-j2` scales.
public struct LookBenchmark: Sendable {
    public let generator: CPPN
    public let width: Int
    public let height: Int
    public let latents: [[Float]]

    /// Frames at the render size of `output` at `config.render_scale`, as the shards have.
    public init(config: GeneratorConfig, latentDim: Int, output: OutputConfig) throws {
        generator = try CPPN(config: config, latentDim: latentDim)
        (width, height) = output.renderSize(scale: config.renderScale)
        latents = Controller.seededAnchors(count: 16, dim: latentDim, seed: 11)
    }

    /// The sgemm shapes of one frame as (rows, inner, cols, times): full blocks and the tail block.
    public var shapes: [(rows: Int, inner: Int, cols: Int, times: Int)] {
        let h = generator.hidden, pixels = width * height, block = Self.referenceBlock
        var blocks = [(block, pixels / block)]
        if pixels % block > 0 { blocks.append((pixels % block, 1)) }
        return blocks.filter { $0.1 > 0 }.flatMap { rows, n in
            (generator.layers > 1 ? [(rows, h, h, n * (generator.layers - 1))] : []) + [(rows, h, 3, n)]
        }
    }

    /// Matrix-product FLOPs of one frame (2·m·k·n per product; the fused K=3 first layer is not one).
    public var flopsPerFrame: Double {
        shapes.reduce(0) { $0 + 2 * Double($1.rows * $1.inner * $1.cols * $1.times) }
    }

    /// Seconds for `frames` frames' worth of the same sgemm calls on warm buffers: C = A·B
    /// (beta 0), or C += A·B (`accumulate`, beta 1, which the CPPN uses to add its biases).
    public func sgemmSeconds(frames: Int, accumulate: Bool = false) -> Double {
        openblas_set_num_threads(1)
        let h = generator.hidden, block = Self.referenceBlock
        var rng = SeededRandom(seed: 5, stream: 1)
        let a = (0..<(block * h)).map { _ in rng.nextGaussian() }
        let b = (0..<(h * h)).map { _ in rng.nextGaussian() * 0.1 }
        var c = [Float](repeating: 0, count: block * h)
        let start = DispatchTime.now().uptimeNanoseconds
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                for _ in 0..<frames {
                    for shape in shapes {
                        for _ in 0..<shape.times {
                            Self.gemm(ap.baseAddress!, b, cp.baseAddress!, rows: shape.rows, inner: shape.inner, cols: shape.cols,
                                      accumulate: accumulate)
                        }
                    }
                }
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Pixels per sgemm call: large enough for OpenBLAS to run at speed, small enough for the
    /// operands to stay in L2 (the block size the CPPN used when it rendered through sgemm).
    static let referenceBlock = 4096

    /// C[rows × cols] = A[rows × inner] · B[inner × cols] (+ C when `accumulate`), all row-major.
    static func gemm(_ a: UnsafePointer<Float>, _ b: [Float], _ c: UnsafeMutablePointer<Float>, rows: Int, inner: Int, cols: Int,
                     accumulate: Bool) {
        b.withUnsafeBufferPointer { bp in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(cols), Int32(inner),
                        1, a, Int32(inner), bp.baseAddress!, Int32(cols), accumulate ? 1 : 0, c, Int32(cols))
        }
    }

    /// Seconds to render `frames` frames (different latents, camera moving).
    public func renderSeconds(frames: Int) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<frames { _ = render(i) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    func render(_ i: Int) -> RGBImage {
        generator.render(latent: ArraySlice(latents[i % latents.count]), width: width, height: height,
                         zoom: 1 + Float(i) * 0.01, rotation: Float(i) * 0.02)
    }

    /// Renders and writes one shard of `frames` frames to `path`, as a `frames:` node does.
    public func shard(frames: Int, path: String) throws {
        let writer = try ShardWriter(path: path, width: width, height: height, fps: 30)
        for i in 0..<frames { try writer.write(render(i)) }
        try writer.finish()
    }

    /// Wall seconds for two shards: on one thread one after the other (`concurrent` false), or
    /// on two threads at once.
    public func twoShardsSeconds(frames: Int, directory: String, concurrent: Bool) throws -> Double {
        let paths = (0..<2).map { "\(directory)/shard-\($0)-\(UUID().uuidString).mkv" }
        defer { paths.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let start = DispatchTime.now().uptimeNanoseconds
        if concurrent {
            try Self.onThreads(2) { try shard(frames: frames, path: paths[$0]) }
        } else {
            for path in paths { try shard(frames: frames, path: path) }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Wall seconds for `frames` frames' worth of sgemm on each of two threads at once: the
    /// scaling the hardware itself allows (shared FMA units, caches, a busy host), against
    /// which the shards' scaling can be read.
    public func sgemmTwoThreadsSeconds(frames: Int) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try Self.onThreads(2) { _ in _ = sgemmSeconds(frames: frames) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs `body(0..<n)` on n plain threads, like the engine's workers (GCD might share one).
    static func onThreads(_ n: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let errors = ErrorBox()
        let done = DispatchGroup()
        for k in 0..<n {
            done.enter()
            let thread = Thread {
                do { try body(k) } catch { errors.set(error) }
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        if let error = errors.error { throw error }
    }

    /// The first error thrown by concurrent work.
    final class ErrorBox: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var error: Error?
        func set(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
    }
}
