import ArgumentParser
import CLookKernels
import Foundation
import Nodes

/// `ntsbench look`: the CPPN rendering frames (matrix FLOPs over its wall time) against two
/// references measured in the same run — OpenBLAS sgemm on the same matrix products (with the
/// core ntsbuild sets up, which it names), and register-resident FMAs at the kernels' vector
/// width (the physical limit) — and two shards on one thread vs two threads.
struct LookBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "look", abstract: "Benchmark the CPPN generator against OpenBLAS sgemm, and shard rendering on 1 vs 2 threads.")

    // The defaults of the config schema (output 1280×720, render_scale 0.5, hidden 32, layers 4).
    @Option var width = 1280
    @Option var height = 720
    @Option(name: .customLong("render-scale")) var renderScale = 0.5
    @Option var hidden = 32
    @Option var layers = 4
    @Option(name: .customLong("latent-dim")) var latentDim = 8
    @Option(help: "Frames per timed run (and per shard).") var frames = 20
    @Option(help: "Runs of each; medians are reported.") var repeats = 5
    @Option(help: "Kernel path: sse2, avx2 or avx512 (default: the widest the CPU has). With avx2 on an AVX-512 CPU, also set OPENBLAS_CORETYPE=Haswell for an AVX2 machine's sgemm.")
    var path: String?

    func run() throws {
        if let path {
            guard let chosen = (0...2).first(where: { String(cString: look_kernels_path_name(Int32($0))) == path }) else {
                throw ValidationError("--path must be sse2, avx2 or avx512")
            }
            guard chosen <= look_kernels_best_path() else { throw ValidationError("this CPU has no \(path)") }
            look_kernels_limit(Int32(chosen))
        }
        let kernels = look_kernels_path(), (core, chosenBy) = OpenBLASCore.inUse
        print("kernels: \(String(cString: look_kernels_path_name(kernels))); OpenBLAS core \(core) (chosen by \(chosenBy))")
        var config = TrackConfig().generator
        config.hidden = hidden
        config.layers = layers
        config.renderScale = renderScale
        var output = TrackConfig().output
        output.width = width
        output.height = height
        let bench = try LookBenchmark(config: config, latentDim: latentDim, output: output)
        let shapes = bench.shapes.map { "\($0.times)×[\($0.rows)×\($0.inner)]·[\($0.inner)×\($0.cols)]" }.joined(separator: " + ")
        print("CPPN hidden \(hidden), layers \(layers), frame \(bench.width)x\(bench.height); sgemm per frame: \(shapes)")
        print(String(format: "matrix FLOPs per frame: %.1f M", bench.flopsPerFrame / 1e6))
        _ = bench.renderSeconds(frames: 2)  // warm-up: coordinate cache, page faults
        var sgemm: [Double] = [], sgemmAdd: [Double] = [], sgemmPair: [Double] = [], render: [Double] = [], serial: [Double] = [], parallel: [Double] = []
        var peak: [Double] = []
        let flops = bench.flopsPerFrame * Double(frames)
        let dir = NSTemporaryDirectory()
        for i in 0..<max(1, repeats) {
            sgemm.append(flops / bench.sgemmSeconds(frames: frames) / 1e9)
            sgemmAdd.append(flops / bench.sgemmSeconds(frames: frames, accumulate: true) / 1e9)
            let pair = try bench.sgemmTwoThreadsSeconds(frames: frames)
            sgemmPair.append(flops / sgemm[i] / 1e9 * 2 / pair)
            render.append(flops / bench.renderSeconds(frames: frames) / 1e9)
            peak.append(Self.fmaPeak(path: kernels))
            serial.append(try bench.twoShardsSeconds(frames: frames, directory: dir, concurrent: false))
            parallel.append(try bench.twoShardsSeconds(frames: frames, directory: dir, concurrent: true))
            print(String(format: "run %d: sgemm %.1f GFLOP/s (beta 1: %.1f), on 2 threads %.2f×, render %.1f GFLOP/s, FMA peak %.1f GFLOP/s; 2 shards: 1 thread %.2f s, 2 threads %.2f s",
                         i + 1, sgemm[i], sgemmAdd[i], sgemmPair[i], render[i], peak[i], serial[i], parallel[i]))
        }
        let (s0, s1, r) = (median(sgemm), median(sgemmAdd), median(render))
        // The ceiling is the faster of the two sgemm forms (the CPPN uses beta 1 to add its biases).
        let s = max(s0, s1)
        print(String(format: "sgemm alone:    median %.1f GFLOP/s (C = A·B), %.1f GFLOP/s (C += A·B)", s0, s1))
        print(String(format: "CPPN render:    median %.1f GFLOP/s effective, %.1f frames/s", r, r * 1e9 / bench.flopsPerFrame))
        // The host's speed drifts between runs; a ratio within one run is the steadier figure.
        let ratios = render.indices.map { render[$0] / max(sgemm[$0], sgemmAdd[$0]) }
        print(String(format: "render / sgemm: %.0f %% of the faster sgemm's median; median of the runs' own ratios %.0f %% (goal ≥ 70 %%)",
                     100 * r / s, 100 * median(ratios)))
        if median(peak) > 0 {
            let peakRatios = render.indices.map { render[$0] / peak[$0] }, sgemmPeak = render.indices.map { max(sgemm[$0], sgemmAdd[$0]) / peak[$0] }
            print(String(format: "FMA peak (%@, registers only): median %.1f GFLOP/s; render at %.0f %% of it, sgemm at %.0f %% (medians of the runs' own ratios)",
                         String(cString: look_kernels_path_name(kernels)), median(peak), 100 * median(peakRatios), 100 * median(sgemmPeak)))
        }
        let (one, two) = (median(serial), median(parallel))
        print(String(format: "sgemm, 2 threads at once: %.2f× one thread's throughput (what the hardware allows)", median(sgemmPair)))
        print(String(format: "2 shards of %d frames: 1 thread %.2f s, 2 threads %.2f s, speed-up %.2f× (goal ≥ 1.8×)", frames, one, two, one / two))
    }

    /// GFLOP/s of register-resident FMAs at the width of `path` for ~0.2 s (0 for SSE2).
    static func fmaPeak(path: Int32) -> Double {
        var sink: Float = 0
        let iterations = 20_000_000
        let start = DispatchTime.now().uptimeNanoseconds
        let flops = look_fma_peak(path, iterations, &sink)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(sink.isFinite, "the FMA chains stay finite")
        return flops / seconds / 1e9
    }
}
