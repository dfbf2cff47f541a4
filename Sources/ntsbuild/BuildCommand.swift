import ArgumentParser
import Dispatch
import Foundation
import Graph
import Nodes

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build targets (default: album), rebuilding only what is stale.")

    @Argument(help: "album (with previews) | track:<id> | preview:<id> | features:<id> | trajectory:<id> | frames:<id>[:<k>] | style:<name>",
              completion: .custom(Completions.targets))
    var targets: [String] = []

    @OptionGroup var project: ProjectOptions

    @OptionGroup var parallel: JobsOption

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Plan only: print what would run and why, on stdout.")
    var dryRun = false

    @Flag(help: "Print why each node ran (with -n: would run), on stdout.")
    var explain = false

    @Flag(name: [.customShort("k"), .customLong("keep-going")], help: "Keep building what does not depend on a failure.")
    var keepGoing = false

    @Flag(help: "Machine-readable event stream on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Only this stretch of each track named (or of every track for album): clips cut from the full video's shards, e.g. 1:20-1:35 or 80-95.",
                               valueName: "FROM-TO"))
    var trim: String?

    @OptionGroup var remoteCache: RemoteCacheOption

    @Flag(name: .customLong("no-publish"), help: ArgumentHelp("Build into the cache only: no run folder in renders/ (what a batch task of `submit` does).", visibility: .hidden))
    var noPublish = false

    @Flag(help: "After the build, build again whenever the Buildfile, a preset or an input file changes (Ctrl-C stops).")
    var watch = false

    func run() throws {
        guard watch else {
            try reportingErrors(json: json) { _ = try buildOnce() }
            return
        }
        var watched: [String] = []
        while true {
            do {
                try reportingErrors(json: json) { watched = try buildOnce() }
            } catch let exit as ExitCode where exit == .init(ExitStatus.interrupted.rawValue) || exit == .init(ExitStatus.usage.rawValue) {
                throw exit
            } catch {
                // Said already; a broken Buildfile is watched until it is fixed.
            }
            let files = Array(Set(watched + [URL(fileURLWithPath: project.buildfile).standardizedFileURL.path] + presetFiles())).sorted()
            let watch = FileWatch(paths: files)
            let before = watch.snapshot()
            FileHandle.standardError.write(Data("ntsbuild: watching \(files.count) files (Ctrl-C stops)\n".utf8))
            let changed = watch.waitForChange(since: before)
            FileHandle.standardError.write(Data("ntsbuild: changed: \(changed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))\n".utf8))
        }
    }

    /// The preset files beside the Buildfile.
    func presetFiles() -> [String] {
        let folder = URL(fileURLWithPath: project.buildfile).standardizedFileURL.deletingLastPathComponent().path + "/presets"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.map { folder + "/" + $0 }
    }

    /// One build; returns the files it read (the Buildfile and every source file), for `--watch`.
    func buildOnce() throws -> [String] {
        try Self.checkForMistypedCommands(targets)
        let workspace = try project.workspace(trim: try trim.map(Self.parseTrim))
        let nodes = try workspace.resolve(targets)
        workspace.engine.useRemote(try remoteCache.options(for: workspace.project))
        try workspace.engine.lock.acquire(.shared, onWait: waitingForLockMessage)
        defer { workspace.engine.close() }
        let reporter = ProgressReporter(plan: ProgressReporter.plan(of: nodes, in: workspace.album))
        let stream = JSONEventStream()
        let plan = PlanPrinter()
        let observer: BuildObserver = json ? stream : ObserverFan([reporter, plan])
        let interrupt = InterruptHandler {
            let count = reporter.runningCount
            reporter.notice("ntsbuild: interrupted; stopping \(count) running node\(count == 1 ? "" : "s") (Ctrl-C again to abort)")
            workspace.engine.cancel()
        }
        let started = Date()
        let result = try workspace.build(nodes, options: BuildOptions(jobs: parallel.count, dryRun: dryRun, keepGoing: keepGoing), observer: observer)
        reporter.close()
        interrupt.uninstall()
        if (dryRun || explain) && !json {
            let lines = plan.lines(order: try workspace.album.graph.closure(of: nodes))
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
        }

        var runFolder: String?
        var unchanged = false
        if !dryRun && !noPublish && result.failures.isEmpty && !result.interrupted {
            let runTargets = targets.isEmpty ? ["album"] : targets
            if let latest = RunRecord.unchangedLatest(project: workspace.project, targets: runTargets, result: result,
                                                      rendersDirectory: workspace.rendersDirectory) {
                (runFolder, unchanged) = (latest, true)
            } else {
                runFolder = try RunRecord.write(project: workspace.project, targets: runTargets, result: result, engine: workspace.engine,
                                                jobs: parallel.count, started: started, rendersDirectory: workspace.rendersDirectory)
            }
        }
        let summary = Summary(result: result, dryRun: dryRun, framesRendered: workspace.album.framesRendered(in: result),
                              fps: workspace.project.tracks.first?.config.output.fps ?? 30, runFolder: runFolder, runUnchanged: unchanged,
                              traffic: workspace.engine.remoteTraffic)
        if json {
            stream.write(summary.json)
        } else {
            FileHandle.standardError.write(Data((summary.line + "\n").utf8))
        }
        if result.interrupted { throw GraphError.interrupted }
        if let first = result.failures.first {
            let more = result.failures.count > 1 ? " (and \(result.failures.count - 1) more failures)" : ""
            throw GraphError.nodeFailed(first.id, message: (first.message ?? "failed") + more)
        }
        let sources = try workspace.album.graph.closure(of: nodes).compactMap(\.filePath).map { workspace.engine.sourcePath($0) }
        return [workspace.project.buildfile] + sources
    }
}

extension BuildCommand {
    /// `1:20-1:35`, `80-95.5`: two times (seconds or m:ss.s) joined by a hyphen.
    static func parseTrim(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let from = try? StillFrame.parseTime(parts[0]), let to = try? StillFrame.parseTime(parts[1]), to > from else {
            throw UsageError("--trim '\(text)': expected FROM-TO with FROM before TO, in seconds or m:ss.s (e.g. 1:20-1:35)")
        }
        return from...to
    }

    /// `ntsbuild expain` parses as a build of the target `expain`: say which command was meant
    /// before looking for a Buildfile. Node targets have a kind (`track:…`), so a bare word
    /// other than `album` is never a target.
    static func checkForMistypedCommands(_ targets: [String]) throws {
        for target in targets where !target.contains(":") && target != "album" {
            if let command = ConfigSchema.suggestion(for: target, among: NTSBuild.subcommandNames) {
                throw UsageError("unknown command or target '\(target)' (did you mean the command '\(command)'?)")
            }
        }
    }
}

/// A mistake on the command line that argument-parser cannot see (exit status 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The last line of a build: nodes run / reused, wall time, frames per second, realtime factor.
struct Summary {
    let result: BuildResult
    let dryRun: Bool
    let framesRendered: Int
    let fps: Int
    let runFolder: String?
    /// The latest run already held these outputs, so no new run folder was made.
    var runUnchanged = false
    /// What went through the remote cache.
    var traffic = RemoteTraffic()

    static func bytes(_ count: Int) -> String {
        count < 1024 ? "\(count) B" : count < 1 << 20 ? String(format: "%.1f KiB", Double(count) / 1024)
            : String(format: "%.1f MiB", Double(count) / Double(1 << 20))
    }

    /// Nodes stopped by Ctrl-C are interrupted, not failed.
    var interrupted: Int { result.nodes.filter { $0.status == .failed && $0.message == GraphError.interrupted.description }.count }
    /// Source files included: a missing one is a failure of the build too.
    var failed: Int { result.failures.count - interrupted }

    var line: String {
        if dryRun {
            let remote = result.nodes.filter { $0.status == .wouldRun && $0.reasons.contains(.inRemoteCache) }.count
            let fetch = remote > 0 ? " (\(remote) fetched from the remote cache)" : ""
            return "ntsbuild: \(result.count(.wouldRun)) would run\(fetch), \(result.count(.reused)) fresh (dry run)"
        }
        var text = String(format: "ntsbuild: %d run, %d reused", result.count(.built), result.count(.reused))
        if result.count(.fetched) > 0 || traffic.uploaded > 0 {
            text += ", \(result.count(.fetched)) fetched (\(Self.bytes(traffic.bytesDown)) down, \(Self.bytes(traffic.bytesUp)) up)"
        }
        text += ", \(failed) failed"
        if result.count(.skipped) > 0 { text += ", \(result.count(.skipped)) skipped" }
        if interrupted > 0 { text += ", \(interrupted) interrupted" }
        text += String(format: " in %.1f s", result.wallSeconds)
        if framesRendered > 0 {
            let seconds = max(result.wallSeconds, 1e-6)
            text += String(format: "; %d frames at %.1f frames/s, %.2f× realtime", framesRendered, Double(framesRendered) / seconds,
                           Double(framesRendered) / Double(fps) / seconds)
        }
        if let runFolder { text += runUnchanged ? "; outputs unchanged in \(runFolder)" : "; outputs in \(runFolder)" }
        return text
    }

    var json: [String: Any] {
        var object: [String: Any] = ["event": "summary", "run": result.count(.built), "reused": result.count(.reused),
                                     "failed": failed, "interrupted": interrupted, "would_run": result.count(.wouldRun),
                                     "wall_seconds": result.wallSeconds, "frames_rendered": framesRendered,
                                     "fetched": result.count(.fetched), "bytes_down": traffic.bytesDown, "bytes_up": traffic.bytesUp]
        object["run_folder"] = runFolder
        object["run_unchanged"] = runUnchanged
        return object
    }
}

/// Ctrl-C: the first stops launching work and lets running nodes stop cleanly (the cache stays
/// valid); a second one exits at once.
final class InterruptHandler {
    private var source: DispatchSourceSignal?
    private var count = 0

    init(onInterrupt: @escaping () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.count += 1
            if self.count > 1 { _exit(130) }
            onInterrupt()
        }
        source.resume()
        self.source = source
    }

    func uninstall() {
        source?.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
