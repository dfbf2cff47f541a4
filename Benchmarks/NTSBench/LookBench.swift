import ArgumentParser
import Foundation
import Nodes

/// `ntsbench look`: OpenBLAS sgemm on the CPPN's matrix products vs the CPPN rendering
/// frames (the same FLOPs over its wall time), and two shards on one thread vs two threads.
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

    func run() throws {
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
        let flops = bench.flopsPerFrame * Double(frames)
        let dir = NSTemporaryDirectory()
        for i in 0..<max(1, repeats) {
            sgemm.append(flops / bench.sgemmSeconds(frames: frames) / 1e9)
            sgemmAdd.append(flops / bench.sgemmSeconds(frames: frames, accumulate: true) / 1e9)
            let pair = try bench.sgemmTwoThreadsSeconds(frames: frames)
            sgemmPair.append(flops / sgemm[i] / 1e9 * 2 / pair)
            render.append(flops / bench.renderSeconds(frames: frames) / 1e9)
            serial.append(try bench.twoShardsSeconds(frames: frames, directory: dir, concurrent: false))
            parallel.append(try bench.twoShardsSeconds(frames: frames, directory: dir, concurrent: true))
            print(String(format: "run %d: sgemm %.1f GFLOP/s (beta 1: %.1f), on 2 threads %.2f×, render %.1f GFLOP/s; 2 shards: 1 thread %.2f s, 2 threads %.2f s",
                         i + 1, sgemm[i], sgemmAdd[i], sgemmPair[i], render[i], serial[i], parallel[i]))
        }
        let (s0, s1, r) = (median(sgemm), median(sgemmAdd), median(render))
        // The ceiling is the faster of the two sgemm forms (the CPPN uses beta 1 to add its biases).
        let s = max(s0, s1)
        print(String(format: "sgemm alone:    median %.1f GFLOP/s (C = A·B), %.1f GFLOP/s (C += A·B)", s0, s1))
        print(String(format: "CPPN render:    median %.1f GFLOP/s effective, %.1f frames/s", r, r * 1e9 / bench.flopsPerFrame))
        // The host's speed drifts between runs; a ratio within one run is the steadier figure.
        let ratios = render.indices.map { render[$0] / max(sgemm[$0], sgemmAdd[$0]) }
        print(String(format: "render / sgemm: %.0f %% of the faster sgemm's median; median of the runs' own ratios %.0f %% (goal ≥ 80 %%)",
                     100 * r / s, 100 * median(ratios)))
        let (one, two) = (median(serial), median(parallel))
        print(String(format: "sgemm, 2 threads at once: %.2f× one thread's throughput (what the hardware allows)", median(sgemmPair)))
        print(String(format: "2 shards of %d frames: 1 thread %.2f s, 2 threads %.2f s, speed-up %.2f× (goal ≥ 1.8×)", frames, one, two, one / two))
    }
}
