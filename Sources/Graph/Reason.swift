/// Why a node runs. Said the way ninja and make would, but naming what changed, old → new.
public enum Reason: Equatable, Sendable, CustomStringConvertible {
    case neverBuilt
    /// The recipe's own code (`recipe`) or a component it runs changed version; nil: not declared.
    case codeChanged(name: String, old: Int?, new: Int?)
    case configChanged(key: String, old: String?, new: String?)
    case inputFileChanged(path: String, old: Digest?, new: Digest)
    case inputChanged(id: NodeID, label: String?, old: Digest?, new: Digest?)
    case outputMissing
    /// Dry run only: the remote cache has the output, so the node would be fetched, not built.
    case inRemoteCache
    /// Dry run only: an input will be rebuilt, so this node may have to be too.
    case inputWillRebuild(id: NodeID, label: String?)

    public var description: String {
        switch self {
        case .neverBuilt: return "never built"
        case .codeChanged(let name, let old?, let new?):
            return name == CodeVersion.recipeName ? "recipe version changed \(old) → \(new)" : "code of \(name) changed: version \(old) → \(new)"
        case .codeChanged(let name, nil, let new?): return "now runs \(name) (version \(new))"
        case .codeChanged(let name, let old?, nil): return "no longer runs \(name) (was version \(old))"
        case .codeChanged(let name, nil, nil): return "code of \(name) changed"
        case .configChanged(let key, let old, let new):
            return "config \(key) changed \(old ?? "(unset)") → \(new ?? "(unset)")"
        case .inputFileChanged(let path, let old, let new):
            if let old { return "input file \(path) changed (content \(old.short) → \(new.short))" }
            return "input file \(path) added"
        case .inputChanged(let id, let label, let old, let new):
            let name = label ?? id.raw
            switch (old, new) {
            case (nil, _): return "input \(name) added"
            case (_, nil): return "input \(name) removed"
            case (let o?, let n?): return "input \(name) changed (\(o.short) → \(n.short))"
            }
        case .outputMissing: return "output missing from the cache"
        case .inRemoteCache: return "in the remote cache: would be fetched, not built"
        case .inputWillRebuild(let id, let label): return "input \(label ?? id.raw) will be rebuilt"
        }
    }
}

extension Reason {
    /// The reason as data, for `--json` and other tools: `kind`, and where they apply `key`
    /// (a config key or a code component), `node`, `file`, `old` and `new`.
    public var fields: [String: String] {
        switch self {
        case .neverBuilt: return ["kind": "never-built"]
        case .codeChanged(let name, let old, let new):
            return ["kind": "code", "key": name].merging(["old": old.map(String.init), "new": new.map(String.init)].compactMapValues { $0 }) { a, _ in a }
        case .configChanged(let key, let old, let new):
            return ["kind": "config", "key": key].merging(["old": old, "new": new].compactMapValues { $0 }) { a, _ in a }
        case .inputFileChanged(let path, let old, let new):
            return ["kind": "input-file", "file": path, "new": new.hex].merging(["old": old?.hex].compactMapValues { $0 }) { a, _ in a }
        case .inputChanged(let id, _, let old, let new):
            return ["kind": "input", "node": id.raw].merging(["old": old?.hex, "new": new?.hex].compactMapValues { $0 }) { a, _ in a }
        case .outputMissing: return ["kind": "output-missing"]
        case .inRemoteCache: return ["kind": "remote"]
        case .inputWillRebuild(let id, _): return ["kind": "input-will-rebuild", "node": id.raw]
        }
    }
}

/// Diffs a node's last trace against what it would be built from now.
public enum Explanation {
    public static func reasons(
        previous: Trace?, kind: String, code: [String: Int],
        params: [String: String], inputs: [String: Digest], labels: [String: String]
    ) -> [Reason] {
        guard let previous else { return [.neverBuilt] }
        var reasons: [Reason] = []
        for name in Set(previous.code.keys).union(code.keys).sorted() where previous.code[name] != code[name] {
            reasons.append(.codeChanged(name: name, old: previous.code[name], new: code[name]))
        }
        for key in Set(previous.params.keys).union(params.keys).sorted() where previous.params[key] != params[key] {
            reasons.append(.configChanged(key: key, old: previous.params[key], new: params[key]))
        }
        for id in Set(previous.inputs.keys).union(inputs.keys).sorted() where previous.inputs[id] != inputs[id] {
            let node = NodeID(id)
            if let path = node.filePath, let new = inputs[id] {
                reasons.append(.inputFileChanged(path: path, old: previous.inputs[id], new: new))
            } else {
                reasons.append(.inputChanged(id: node, label: labels[id], old: previous.inputs[id], new: inputs[id]))
            }
        }
        return reasons
    }
}
