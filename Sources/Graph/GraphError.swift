/// Errors of the engine itself, each a one-line message naming the node or file.
public enum GraphError: Error, CustomStringConvertible {
    case io(path: String, reason: String)
    case unknownNode(NodeID, suggestion: NodeID?)
    case cycle([NodeID])
    /// A source file that is not there, with the nodes that read it.
    case missingSource(path: String, neededBy: [NodeID])
    case corruptObject(Digest, path: String)
    case missingObject(Digest, path: String)
    case damagedAgain(Digest, path: String)
    case nodeFailed(NodeID, message: String)
    case interrupted

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .unknownNode(let id, let suggestion):
            return "unknown target '\(id)'" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
        case .cycle(let ids): return "dependency cycle: " + ids.map(\.raw).joined(separator: " → ")
        case .missingSource(let path, let users):
            guard let first = users.first else { return "\(path): file not found" }
            return "\(path): file not found (needed by \(first)\(users.count > 1 ? " and \(users.count - 1) more" : ""))"
        case .corruptObject(let digest, let path): return "\(path): cached object \(digest.short) is corrupt; it was dropped and will be rebuilt"
        case .missingObject(let digest, let path): return "\(path): cached object \(digest.short) is missing; it will be rebuilt"
        case .damagedAgain(let digest, let path):
            return "\(path): cached object \(digest.short) is damaged or gone again after it was rebuilt (a failing disk, or something else writing into the cache?)"
        // A source file's message starts with its path already.
        case .nodeFailed(let id, let message): return id.isFile ? message : "\(id): \(message)"
        case .interrupted: return "interrupted"
        }
    }
}

extension GraphError {
    /// A cached object that is corrupt or gone: the engine drops it and rebuilds it.
    var isDamagedObject: Bool {
        switch self {
        case .corruptObject, .missingObject: return true
        default: return false
        }
    }

    /// The object a damaged-object error is about.
    var damagedObject: Digest? {
        switch self {
        case .corruptObject(let digest, _), .missingObject(let digest, _): return digest
        default: return nil
        }
    }
}
