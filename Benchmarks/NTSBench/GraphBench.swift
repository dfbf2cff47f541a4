import ArgumentParser
import Foundation
import Graph

/// `ntsbench graph`: the engine's own overhead on synthetic graphs with trivial work —
/// a layered graph of N nodes, and one shaped like a 12-track, one-hour album — timing the
/// first build and the no-op rebuild (median of several), in one run.
struct GraphBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Benchmark the build engine's per-node overhead.")

    @Option(help: "Nodes in the synthetic graph.") var nodes = 100_000
    @Option(help: "No-op rebuilds to time (the median is reported).") var repeats = 5
    @Option(name: [.customShort("j", allowingJoined: true), .long]) var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Scratch folder (deleted afterwards unless --keep).") var scratch = NSTemporaryDirectory() + "ntsbuild-bench-graph"
    @Flag(help: "Keep the scratch cache, and reuse one kept earlier (to profile no-op builds alone).") var keep = false

    struct Trivial: Recipe {
        struct Params: Codable { var index: Int; var group: String }
        static let kind = "bench"
        static let version = 1
        let id: NodeID
        let inputs: [NodeID]
        let params: Params
        func make(_ context: BuildContext) throws -> String {
            let path = context.temporaryPath()
            FileManager.default.createFile(atPath: path, contents: Data("\(id.raw)\n".utf8))
            return path
        }
    }

    /// N nodes in layers of 100; each depends on two nodes of the previous layer.
    static func layered(_ count: Int) -> (BuildGraph, [NodeID]) {
        var graph = BuildGraph()
        let width = 100
        var ids: [NodeID] = []
        for i in 0..<count {
            let layer = i / width
            var inputs: [NodeID] = [.file("seed.txt")]
            if layer > 0 { inputs = [ids[(layer - 1) * width + i % width], ids[(layer - 1) * width + (i * 7 + 3) % width]] }
            let id = NodeID("bench:\(i)")
            graph.add(Trivial(id: id, inputs: inputs, params: .init(index: i, group: "layered")))
            ids.append(id)
        }
        return (graph, Array(ids.suffix(width)))
    }

    /// 12 tracks of 5 minutes at 30 fps with 120-frame shards: features → trajectory → 75 rows →
    /// 75 shards → track, and an album over all tracks.
    static func album() -> (BuildGraph, [NodeID]) {
        var graph = BuildGraph()
        var tracks: [NodeID] = []
        for t in 0..<12 {
            let features = NodeID("features:t\(t)"), trajectory = NodeID("trajectory:t\(t)")
            graph.add(Trivial(id: features, inputs: [.file("seed.txt")], params: .init(index: t, group: "features")))
            graph.add(Trivial(id: trajectory, inputs: [features], params: .init(index: t, group: "trajectory")))
            var shards: [NodeID] = []
            for k in 0..<75 {
                let rows = NodeID("rows:t\(t):\(k)"), frames = NodeID("frames:t\(t):\(k)")
                graph.add(Trivial(id: rows, inputs: [trajectory], params: .init(index: k, group: "rows")))
                graph.add(Trivial(id: frames, inputs: [rows], params: .init(index: k, group: "frames")))
                shards.append(frames)
            }
            let track = NodeID("track:t\(t)")
            graph.add(Trivial(id: track, inputs: shards + [.file("seed.txt"), trajectory], params: .init(index: t, group: "track")))
            tracks.append(track)
        }
        graph.add(Trivial(id: "album", inputs: tracks, params: .init(index: 0, group: "album")))
        return (graph, ["album"])
    }

    func measure(_ name: String, _ graph: BuildGraph, _ targets: [NodeID]) throws {
        let root = scratch + "/" + name
        let reusing = keep && FileManager.default.fileExists(atPath: root + "/cache/actions.log")
        if !reusing {
            try? FileManager.default.removeItem(atPath: root)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: root + "/seed.txt", contents: Data("seed".utf8))
        }
        let count = graph.recipes.count
        let first = try Engine(projectRoot: root, cacheDirectory: root + "/cache").build(graph, targets: targets, options: BuildOptions(jobs: jobs))
        var times: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            let start = Date(), cpuStart = cpuSeconds(children: false)
            // A fresh engine each time: loading the cache is part of a no-op build.
            let result = try Engine(projectRoot: root, cacheDirectory: root + "/cache").build(graph, targets: targets, options: BuildOptions(jobs: jobs))
            times.append(Date().timeIntervalSince(start))
            cpu.append(cpuSeconds(children: false) - cpuStart)
            guard result.count(.built) == 0 else { throw ValidationError("no-op rebuild ran \(result.count(.built)) nodes") }
        }
        let median = times.sorted()[times.count / 2], cpuMedian = cpu.sorted()[cpu.count / 2]
        print(name.padding(toLength: 8, withPad: " ", startingAt: 0)
              + String(format: " %7d nodes  first build %7.2f s (%5.1f µs/node)  no-op median %7.3f s wall (%5.2f µs/node), %7.3f s CPU (%5.2f µs/node)  [%@]",
                       count, first.wallSeconds, first.wallSeconds / Double(count) * 1e6, median, median / Double(count) * 1e6,
                       cpuMedian, cpuMedian / Double(count) * 1e6, times.map { String(format: "%.3f", $0) }.joined(separator: " ")))
        fflush(stdout)
        if !keep { try? FileManager.default.removeItem(atPath: root) }
    }

    func run() throws {
        print("engine overhead, -j\(jobs), trivial work, no-op = fresh process state + full graph walk + cache lookups")
        let (albumGraph, albumTargets) = Self.album()
        try measure("album", albumGraph, albumTargets)
        let (graph, targets) = Self.layered(nodes)
        try measure("layered", graph, targets)
    }
}
