import Foundation
import Graph

/// `--json`: one JSON object per line on stdout for each build event, for other tools.
final class JSONEventStream: BuildObserver {
    func handle(_ event: BuildEvent) {
        var object: [String: Any]
        switch event {
        case .started(let id, let reasons, let work):
            object = ["event": "started", "node": id.raw, "reasons": reasons.map(\.description), "work": work]
        case .progress(let id, let done, let total, let detail):
            object = ["event": "progress", "node": id.raw, "done": done, "total": total]
            if let detail { object["detail"] = detail }
        case .built(let id, let output, let seconds):
            object = ["event": "built", "node": id.raw, "output": output.hex, "seconds": seconds]
        case .reused(let id, let output):
            object = ["event": "reused", "node": id.raw, "output": output.hex]
        case .wouldRun(let id, let reasons):
            object = ["event": "would-run", "node": id.raw, "reasons": reasons.map(\.description)]
        case .failed(let id, let message):
            object = ["event": "failed", "node": id.raw, "message": message]
        case .skipped(let id, let because):
            object = ["event": "skipped", "node": id.raw, "because": because.raw]
        case .warning(let id, let message):
            object = ["event": "warning", "node": id.raw, "message": message]
        }
        write(object)
    }

    func write(_ object: [String: Any]) {
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}
