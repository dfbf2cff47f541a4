import Foundation
import Graph

/// `--json`: one JSON object per line on stdout for each build event, for other tools. Progress
/// is throttled to a few events a second per node (and the last one), not one per frame.
final class JSONEventStream: BuildObserver {
    static let progressInterval: TimeInterval = 0.25
    private var lastProgress: [NodeID: Date] = [:]

    func handle(_ event: BuildEvent) {
        var object: [String: Any]
        switch event {
        case .started(let id, let reasons, let work):
            object = ["event": "started", "node": id.raw, "work": work].merging(Self.reasons(reasons)) { a, _ in a }
        case .progress(let id, let done, let total, let detail):
            let now = Date()
            guard done >= total || now.timeIntervalSince(lastProgress[id] ?? .distantPast) >= Self.progressInterval else { return }
            lastProgress[id] = now
            object = ["event": "progress", "node": id.raw, "done": done, "total": total]
            if let detail { object["detail"] = detail }
        case .built(let id, let output, let seconds):
            lastProgress[id] = nil
            object = ["event": "built", "node": id.raw, "output": output.hex, "seconds": seconds]
        case .reused(let id, let output):
            object = ["event": "reused", "node": id.raw, "output": output.hex]
        case .fetched(let id, let output, let bytes):
            object = ["event": "fetched", "node": id.raw, "output": output.hex, "bytes": bytes]
        case .wouldRun(let id, let reasons):
            object = ["event": "would-run", "node": id.raw].merging(Self.reasons(reasons)) { a, _ in a }
        case .failed(let id, let message):
            lastProgress[id] = nil
            object = ["event": "failed", "node": id.raw, "message": message]
        case .skipped(let id, let because):
            object = ["event": "skipped", "node": id.raw, "because": because.raw]
        case .warning(let id, let message):
            object = ["event": "warning", "node": id.raw, "message": message]
        }
        write(object)
    }

    /// `reasons` as the sentences a person reads, `why` as data (kind, key, old, new …).
    static func reasons(_ reasons: [Reason]) -> [String: Any] {
        ["reasons": reasons.map(\.description), "why": reasons.map(\.fields)]
    }

    func write(_ object: [String: Any]) {
        JSONEventStream.writeLine(object)
    }

    static func writeLine(_ object: [String: Any]) {
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}
