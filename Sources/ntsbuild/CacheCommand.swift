import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild cache stats | gc | verify`: the cache's life-cycle.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Inspect, verify and garbage-collect the cache.",
        subcommands: [Stats.self, GC.self, Verify.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Objects and bytes by node kind, and the last run's reuse.")
        @OptionGroup var project: ProjectOptions

        func run() throws {
            try reportingErrors {
                let workspace = try project.workspace()
                let objects = CacheMaintenance(engine: workspace.engine).objects()
                let total = objects.reduce(0) { $0 + $1.bytes }
                print("cache: \(objects.count) objects, \(ByteCount.format(total)) in \(workspace.engine.cacheDirectory)")
                let byKind = Dictionary(grouping: objects) { $0.kind ?? "(unrecorded)" }
                for (kind, group) in byKind.sorted(by: { $0.value.reduce(0) { $0 + $1.bytes } > $1.value.reduce(0) { $0 + $1.bytes } }) {
                    let bytes = group.reduce(0) { $0 + $1.bytes }
                    print("  " + kind.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%6d objects  ", group.count) + ByteCount.format(bytes))
                }
                let history = RunHistory(rendersDirectory: workspace.rendersDirectory)
                if let last = history.runs.last {
                    let nodes = last.built + last.reused
                    let share = nodes > 0 ? Double(last.reused) / Double(nodes) * 100 : 0
                    print(String(format: "last run %@: %d nodes, %d built, %d reused (%.0f%% reuse); %d runs in renders/",
                                 (last.folder as NSString).lastPathComponent, nodes, last.built, last.reused, share, history.runs.count))
                } else {
                    print("no runs in renders/")
                }
            }
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Evict least-recently-used objects down to a size/age cap, never those of the kept runs.")
        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("Size cap, e.g. 20G, 500M (default: none).", valueName: "size")) var maxSize: String?
        @Option(help: ArgumentHelp("Evict objects unused for longer, e.g. 30d, 12h (default: none).", valueName: "age")) var maxAge: String?
        @Option(help: "Protect the objects of only the newest K runs in renders/ (default: all runs).") var keepRuns: Int?
        @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Say what would be removed; remove nothing.") var dryRun = false

        func validate() throws {
            if let k = keepRuns, k < 0 { throw ValidationError("--keep-runs must be 0 or more") }
            if let s = maxSize, ByteCount.parse(s) == nil { throw ValidationError("--max-size: expected a size like 20G, 500M or 1048576, got '\(s)'") }
            if let a = maxAge, Age.parseSeconds(a) == nil { throw ValidationError("--max-age: expected an age like 30d, 12h, 90m or 45s, got '\(a)'") }
        }

        func run() throws {
            try reportingErrors {
                let workspace = try project.workspace()
                try workspace.engine.lock.acquire(.exclusive, onWait: waitingForLockMessage)
                let history = RunHistory(rendersDirectory: workspace.rendersDirectory)
                let policy = CacheMaintenance.Policy(maxBytes: maxSize.flatMap(ByteCount.parse), maxAgeSeconds: maxAge.flatMap(Age.parseSeconds), dryRun: dryRun)
                let report = try CacheMaintenance(engine: workspace.engine).collect(roots: history.roots(keepingNewest: keepRuns), policy: policy)
                let verb = dryRun ? "would remove" : "removed"
                let runs = keepRuns.map { min($0, history.runs.count) } ?? history.runs.count
                print("ntsbuild: gc \(verb) \(report.removed.count) objects (\(ByteCount.format(report.removedBytes))) and \(report.temporaryFiles) temporary files; "
                      + "kept \(report.kept.count) objects (\(ByteCount.format(report.keptBytes))), \(ByteCount.format(report.rootBytes)) of them for the newest \(runs) runs")
                if let cap = policy.maxBytes, report.rootBytes > cap {
                    print("ntsbuild: warning: the kept runs alone need \(ByteCount.format(report.rootBytes)), above --max-size \(ByteCount.format(cap)); use a smaller --keep-runs")
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-hash every object; drop corrupt ones so the next build remakes them.")
        @OptionGroup var project: ProjectOptions

        func run() throws {
            try reportingErrors {
                let workspace = try project.workspace()
                try workspace.engine.lock.acquire(.exclusive, onWait: waitingForLockMessage)
                let report = try CacheMaintenance(engine: workspace.engine).verify()
                for digest in report.corrupt {
                    print("corrupt: \(workspace.engine.store.path(of: digest)) (removed; the next build remakes it)")
                }
                print("ntsbuild: verified \(report.checked) objects (\(ByteCount.format(report.bytes))), \(report.corrupt.count) corrupt")
                if !report.corrupt.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

/// Sizes as people write them: 20G, 1.5G, 500M, 64K, 1048576 (powers of 1024).
enum ByteCount {
    static func parse(_ text: String) -> Int? {
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var body = text.uppercased()
        if body.hasSuffix("B") { body.removeLast() }
        var scale = 1.0
        if let last = body.last, let unit = units[last] {
            scale = unit
            body.removeLast()
        }
        // Bounded before converting: Int(1e30) would trap.
        guard let value = Double(body), value >= 0, value * scale < Double(Int.max / 2) else { return nil }
        return Int(value * scale)
    }

    static func format(_ bytes: Int) -> String {
        let value = Double(bytes)
        switch value {
        case ..<1024: return "\(bytes) B"
        case ..<1_048_576: return String(format: "%.1f KiB", value / 1024)
        case ..<1_073_741_824: return String(format: "%.1f MiB", value / 1048576)
        default: return String(format: "%.2f GiB", value / 1073741824)
        }
    }
}

/// Ages as people write them: 30d, 12h, 90m, 45s, or plain seconds.
enum Age {
    static func parseSeconds(_ text: String) -> Int64? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]
        var body = text.lowercased()
        var scale = 1.0
        if let last = body.last, let unit = units[last] {
            scale = unit
            body.removeLast()
        }
        guard let value = Double(body), value >= 0, value * scale < Double(Int64.max / 2) else { return nil }
        return Int64(value * scale)
    }
}
