import Foundation
import Graph
import Nodes

/// Shows a build as it happens. On a terminal: one live line per running node with frames done,
/// fps and ETA. Otherwise: a plain line per finished node. Reasons are the plan's (`PlanPrinter`).
final class ProgressReporter: BuildObserver {
    struct Running {
        var started: Date
        var done = 0
        var total = 0
        var detail: String?
    }

    let interactive: Bool
    private var running: [NodeID: Running] = [:]
    private var order: [NodeID] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    init(interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
    }

    func handle(_ event: BuildEvent) {
        switch event {
        case .started(let id, _, _):
            running[id] = Running(started: Date())
            order.append(id)
            if !interactive { emit(["start \(id)"]) }
        case .progress(let id, let done, let total, let detail):
            running[id]?.done = done
            running[id]?.total = total
            running[id]?.detail = detail
        case .built(let id, _, let seconds):
            finish(id, line: String(format: "built  %@ (%.1f s)", id.raw, seconds))
        case .reused:
            break
        case .wouldRun:
            break  // the plan is printed on stdout after the dry run (PlanPrinter)
        case .failed(let id, let message):
            finish(id, line: "FAILED \(id): \(message)")
        case .skipped(let id, let because):
            emit(["skip   \(id) (input \(because) failed)"])
        case .warning(let id, let message):
            emit(["warning: \(id): \(message)"])
        }
        if interactive { redraw() }
    }

    private func finish(_ id: NodeID, line: String) {
        running[id] = nil
        order.removeAll { $0 == id }
        emit([line])
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
        let lines = order.compactMap { id -> String? in
            guard let r = running[id] else { return nil }
            let elapsed = now.timeIntervalSince(r.started)
            guard r.total > 0, r.done > 0 else { return String(format: "  %@  %.0f s", id.raw, elapsed) }
            let rate = Double(r.done) / max(elapsed, 1e-3)
            let eta = Double(r.total - r.done) / max(rate, 1e-9)
            if case .style? = id.albumNode {
                return String(format: "  %@  step %d/%d  %@  ETA %.0f s", id.raw, r.done, r.total, r.detail ?? "", eta)
            }
            return String(format: "  %@  %d/%d frames  %.1f fps  ETA %.0f s", id.raw, r.done, r.total, rate, eta)
        }
        guard !lines.isEmpty else { return }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        drawnLines = lines.count
    }

    func close() { clearLive() }
}

/// Passes every event to several observers (the progress display and the plan, say).
final class ObserverFan: BuildObserver {
    let observers: [BuildObserver]
    init(_ observers: [BuildObserver]) { self.observers = observers }
    func handle(_ event: BuildEvent) { for observer in observers { observer.handle(event) } }
}
