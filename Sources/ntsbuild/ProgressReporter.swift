import Foundation
import Graph
import Nodes

/// Shows a build as it happens, on stderr. On a terminal: one overall line — nodes done of the
/// build's, frames rendered of those to render, frames per second, the build's ETA — above one
/// live line per running node; a permanent line only for what a person waits for (a track, the
/// album, a style, a failure). Small nodes (features, rows, shards, previews) are counted in the
/// overall line, not listed. Not a terminal, or `TERM=dumb`: plain lines, no cursor moves — the
/// overall line every few seconds, and the same permanent lines.
final class ProgressReporter: BuildObserver {
    struct Running {
        var started: Date
        var done = 0
        var total = 0
        var detail: String?
    }

    /// What the build holds: its node count and the frames each shard renders if it runs.
    struct Plan {
        var nodes = 0
        var frames: [NodeID: Int] = [:]
    }

    let interactive: Bool
    private let lock = NSLock()
    private var plan: Plan
    private var running: [NodeID: Running] = [:]
    private var order: [NodeID] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private var lastPlainLine = Date()
    private var finishedNodes = 0
    private var framesDone = 0
    /// Frames of shards that were found in the cache: not part of this build's work.
    private var framesReused = 0
    private var firstFrameTime: Date?

    init(plan: Plan = Plan(), interactive: Bool = ProgressReporter.isInteractive) {
        self.plan = plan
        self.interactive = interactive
    }

    static var isInteractive: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// The plan of `targets` in `album`: every node of their closure, and each shard's frames.
    static func plan(of targets: [NodeID], in album: AlbumGraph) -> Plan {
        let closure = (try? album.graph.closure(of: targets)) ?? []
        var plan = Plan(nodes: closure.filter { !$0.isFile }.count)
        for id in closure { plan.frames[id] = album.frameCount(of: id) }
        return plan
    }

    func handle(_ event: BuildEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .started(let id, _, _):
            running[id] = Running(started: Date())
            order.append(id)
            if plan.frames[id] != nil, firstFrameTime == nil { firstFrameTime = Date() }
        case .progress(let id, let done, let total, let detail):
            if plan.frames[id] != nil { framesDone += done - (running[id]?.done ?? 0) }
            running[id]?.done = done
            running[id]?.total = total
            running[id]?.detail = detail
        case .built(let id, _, let seconds):
            finish(id, line: Self.isWaitedFor(id) ? String(format: "built  %@ (%.1f s)", id.raw, seconds) : nil)
        case .reused(let id, _), .fetched(let id, _, _):
            finishedNodes += id.isFile ? 0 : 1
            framesReused += plan.frames[id] ?? 0
        case .wouldRun:
            break  // the plan is printed on stdout after the dry run (PlanPrinter)
        case .failed(let id, let message):
            finish(id, line: "FAILED \(id): \(message)")
        case .skipped(let id, let because):
            finishedNodes += 1
            emit(["skip   \(id) (input \(because) failed)"])
        case .warning(let id, let message):
            emit(["warning: \(id): \(message)"])
        }
        if interactive {
            redraw()
        } else if Date().timeIntervalSince(lastPlainLine) >= 5 {
            lastPlainLine = Date()
            emit([overall(now: Date())])
        }
    }

    /// A line that must stay visible (the Ctrl-C notice), from any thread.
    func notice(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        emit([line])
    }

    /// How many nodes are running now.
    var runningCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return running.count
    }

    /// Nodes a person waits for get a line of their own when they finish.
    static func isWaitedFor(_ id: NodeID) -> Bool {
        switch id.albumNode {
        case .track, .album, .style: return true
        default: return false
        }
    }

    private func finish(_ id: NodeID, line: String?) {
        if let partial = running[id], plan.frames[id] != nil, let total = plan.frames[id] { framesDone += total - partial.done }
        running[id] = nil
        order.removeAll { $0 == id }
        finishedNodes += 1
        if let line { emit([line]) }
    }

    /// `[ 12/57 nodes]  frames 120/2730  54.1 fps  ETA 48 s`
    private func overall(now: Date) -> String {
        let width = String(plan.nodes).count
        var line = String(format: "[%\(width)d/%d nodes]", finishedNodes, plan.nodes)
        let framesToRender = plan.frames.values.reduce(0, +) - framesReused
        if framesToRender > 0 {
            line += "  frames \(framesDone)/\(framesToRender)"
            if let first = firstFrameTime, framesDone > 0 {
                let rate = Double(framesDone) / max(now.timeIntervalSince(first), 1e-3)
                line += String(format: "  %.1f fps  ETA %@", rate, Self.duration(Double(framesToRender - framesDone) / rate))
            }
        }
        return line
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// Prints permanent lines above the live block.
    private func emit(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        clearLive()
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if interactive { redraw(force: true) }
    }

    private func clearLive() {
        guard interactive, drawnLines > 0 else { return }
        FileHandle.standardError.write(Data(("\u{1B}[\(drawnLines)A\u{1B}[J").utf8))
        drawnLines = 0
    }

    private func redraw(force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        clearLive()
        let nodes = order.compactMap { id -> String? in
            guard let r = running[id] else { return nil }
            let elapsed = now.timeIntervalSince(r.started)
            guard r.total > 0, r.done > 0 else { return String(format: "  %@  %.0f s", id.raw, elapsed) }
            let rate = Double(r.done) / max(elapsed, 1e-3)
            let eta = Double(r.total - r.done) / max(rate, 1e-9)
            if case .style? = id.albumNode {
                return String(format: "  %@  step %d/%d  %@  ETA %@", id.raw, r.done, r.total, r.detail ?? "", Self.duration(eta))
            }
            return String(format: "  %@  %d/%d  %.1f/s  ETA %@", id.raw, r.done, r.total, rate, Self.duration(eta))
        }
        let lines = [overall(now: now)] + nodes
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        drawnLines = lines.count
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        clearLive()
    }
}

/// Passes every event to several observers (the progress display and the plan, say).
final class ObserverFan: BuildObserver {
    let observers: [BuildObserver]
    init(_ observers: [BuildObserver]) { self.observers = observers }
    func handle(_ event: BuildEvent) { for observer in observers { observer.handle(event) } }
}
