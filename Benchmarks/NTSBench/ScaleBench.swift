import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbench scale`: how a one-hour album at 1080p would spread over 1, 4, 16 and 64 machines.
/// Node times come from a build recorded in a project's cache (seconds per unit of work, by node
/// kind: frames and videos per frame·pixel, rows, trajectories, features and animations per
/// frame, posters and sheets per node, the album per frame); the graph is the real one the
/// album graph builds for `tracks` tracks of equal length (silent audio of that length, in a
/// scratch folder), each with the measured project's first track's settings at the target size. Each
/// machine runs `slots` nodes at once; nodes go critical path first (longest remaining chain of
/// work), as the engine orders them. Reported against the bound max(critical path, work / slots).
/// Transfers through the remote cache are not modelled (see BENCHMARKS.md for their cost).
struct ScaleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Estimate a one-hour 1080p album's render time on 1–64 machines from recorded node times.")

    @Option(help: "A project built before (its cache holds the node times).") var project = FileManager.default.currentDirectoryPath
    @Option(name: .customLong("set"), help: "The --set values that build used.") var sets: [String] = []
    @Option(help: "Minutes of music in the estimated album.") var minutes = 60.0
    @Option(help: "Tracks in the estimated album.") var tracks = 12
    @Option var width = 1920
    @Option var height = 1080
    @Option(help: "Nodes each machine runs at once (its cores).") var slots = 2
    @Option(parsing: .upToNextOption, help: "Machine counts.") var machines = [1, 4, 16, 64]

    func run() throws {
        let measured = try Workspace(buildfile: project + "/Buildfile.yaml", overrides: Overrides(sets: sets))
        let rates = try rates(from: measured)
        for kind in rates.keys.sorted() { print(String(format: "  %-10@ %.3g s per unit", kind as NSString, rates[kind]!)) }

        let scratch = NSTemporaryDirectory() + "ntsbench-scale-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let hour = try AlbumGraph(project: album(like: measured.project, in: scratch))
        let order = try hour.graph.closure(of: hour.resolve("album")).filter { !$0.isFile }
        let cost = order.map { id -> Double in
            guard let node = AlbumNode(id), let kind = costKind(node) else { return 0 }
            return (rates[kind] ?? 0) * units(node, in: hour)
        }
        let work = cost.reduce(0, +)
        let schedule = ListSchedule(order: order, inputs: { hour.graph.inputs(of: $0) }, cost: cost)
        let frames = hour.frames.values.reduce(0, +)
        print(String(format: "album: %d tracks, %.0f min, %d frames at %dx%d; %d nodes, %.1f CPU-hours of work, critical path %.2f h",
                     hour.project.tracks.count, Double(frames) / Double(hour.project.tracks[0].config.output.fps) / 60, frames, width, height,
                     order.count, work / 3600, schedule.criticalPath / 3600))
        print("machines | slots | makespan (h) | speed-up | bound (h) | makespan / bound")
        let one = schedule.makespan(slots: slots)
        for m in machines {
            let span = m == 1 ? one : schedule.makespan(slots: m * slots)
            let bound = max(schedule.criticalPath, work / Double(m * slots))
            print(String(format: "%8d | %5d | %12.2f | %8.1f | %9.2f | %.2f", m, m * slots, span / 3600, one / span, bound / 3600, span / bound))
        }
    }

    /// Seconds per unit of work by node kind, from the nodes of `workspace` its cache has records for.
    func rates(from workspace: Workspace) throws -> [String: Double] {
        var seconds: [String: Double] = [:], amount: [String: Double] = [:]
        for id in try workspace.album.graph.closure(of: workspace.resolve(["album"])) {
            guard let node = AlbumNode(id), let kind = costKind(node),
                  let key = workspace.engine.actions.head(of: id), let record = workspace.engine.actions.lookup(key) else { continue }
            seconds[kind, default: 0] += record.seconds
            amount[kind, default: 0] += units(node, in: workspace.album)
        }
        guard !seconds.isEmpty else { throw ValidationError("\(project): no recorded node times; build it first (ntsbuild -C \(project) \(sets.map { "--set " + $0 }.joined(separator: " ")))") }
        return seconds.merging(amount) { s, a in a > 0 ? s / a : 0 }
    }

    /// The kind a node's time is measured by (an animated preview grows with the track, a poster does not).
    func costKind(_ node: AlbumNode) -> String? {
        if case .preview(_, .anim) = node { return "preview-anim" }
        return node.kind?.rawValue
    }

    /// The work a node does, in the unit its kind's time grows with.
    func units(_ node: AlbumNode, in album: AlbumGraph) -> Double {
        func size(_ track: String) -> Double {
            let output = album.project.track(track)!.config.output
            return Double(output.width * output.height)
        }
        switch node {
        case .frames(let t, _): return Double(album.frameCount(of: node.id) ?? 0) * size(t)
        case .rows(let t, let k): return Double(album.frameCount(of: AlbumNode.frames(track: t, shard: k).id) ?? 0)
        case .track(let t): return Double(album.frames[t] ?? 0) * size(t)
        case .features(let t), .trajectory(let t), .preview(let t, .anim): return Double(album.frames[t] ?? 0)
        case .album: return Double(album.frames.values.reduce(0, +))
        default: return 1
        }
    }

    /// `tracks` tracks of `minutes / tracks` minutes of silence each, configured like the measured
    /// project's first track but at the target size. Only the audio's length shapes the graph.
    func album(like project: Project, in folder: String) throws -> Project {
        let rate = 22_050, seconds = minutes * 60 / Double(tracks)
        try silentWAV(seconds: seconds, rate: rate).write(to: URL(fileURLWithPath: folder + "/silence.wav"))
        var result = project
        result.root = folder
        result.tracks = (0..<tracks).map { i in
            var track = project.tracks[0]
            track.id = "track-\(i + 1)"
            track.number = i + 1
            track.audio = "silence.wav"
            track.trimStart = 0
            track.trimEnd = nil
            track.config.output.width = width
            track.config.output.height = height
            return track
        }
        return result
    }

    /// A 16-bit mono PCM WAV file of zeros.
    func silentWAV(seconds: Double, rate: Int) -> Data {
        let samples = Int(seconds * Double(rate)), bytes = samples * 2
        var data = Data("RIFF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(36 + bytes))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(rate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(bytes))
        data.append(Data(count: bytes))
        return data
    }
}

/// Critical-path-first list scheduling of a DAG on identical slots, by event simulation.
struct ListSchedule {
    let order: [NodeID]
    let inputs: [[Int]]
    let dependents: [[Int]]
    let cost: [Double]
    /// Each node's cost plus the longest chain of work after it.
    let level: [Double]

    init(order: [NodeID], inputs: (NodeID) -> [NodeID], cost: [Double]) {
        self.order = order
        self.cost = cost
        var index: [NodeID: Int] = [:]
        for (i, id) in order.enumerated() { index[id] = i }
        let ins = order.map { inputs($0).compactMap { index[$0] } }
        var deps = Array(repeating: [Int](), count: order.count)
        for (i, list) in ins.enumerated() { for j in list { deps[j].append(i) } }
        self.inputs = ins
        dependents = deps
        var level = cost
        for i in order.indices.reversed() { level[i] = cost[i] + (deps[i].map { level[$0] }.max() ?? 0) }
        self.level = level
    }

    var criticalPath: Double { level.max() ?? 0 }

    func makespan(slots: Int) -> Double {
        var waiting = inputs.map(\.count)
        var ready = order.indices.filter { waiting[$0] == 0 }
        var running: [(end: Double, node: Int)] = []
        var now = 0.0, free = slots
        while !ready.isEmpty || !running.isEmpty {
            ready.sort { level[$0] > level[$1] }
            while free > 0, !ready.isEmpty {
                let node = ready.removeFirst()
                running.append((now + cost[node], node))
                free -= 1
            }
            running.sort { $0.end < $1.end }
            let (end, node) = running.removeFirst()
            now = end
            free += 1
            for d in dependents[node] {
                waiting[d] -= 1
                if waiting[d] == 0 { ready.append(d) }
            }
        }
        return now
    }
}
