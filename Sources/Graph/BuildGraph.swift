/// The nodes a build may run, by id. Source files (`file:` ids) are implicit: any input that
/// names one is hashed from disk.
public struct BuildGraph: Sendable {
    public private(set) var recipes: [NodeID: any Recipe] = [:]

    public init() {}

    public mutating func add(_ recipe: any Recipe) {
        recipes[recipe.id] = recipe
    }

    public func inputs(of id: NodeID) -> [NodeID] { recipes[id]?.inputs ?? [] }

    /// Every node the targets need, inputs before dependents (a topological order).
    public func closure(of targets: [NodeID]) throws -> [NodeID] {
        var order: [NodeID] = []
        var state: [NodeID: Bool] = [:]  // false = visiting, true = done
        func visit(_ id: NodeID, path: [NodeID]) throws {
            if let done = state[id] {
                if !done { throw GraphError.cycle(path + [id]) }
                return
            }
            guard id.isFile || recipes[id] != nil else {
                throw GraphError.unknownNode(id, suggestion: suggestion(for: id))
            }
            state[id] = false
            for input in inputs(of: id) { try visit(input, path: path + [id]) }
            state[id] = true
            order.append(id)
        }
        for target in targets { try visit(target, path: []) }
        return order
    }

    /// The closest known id, for "did you mean".
    public func suggestion(for id: NodeID) -> NodeID? {
        let best = recipes.keys.map { ($0, EditDistance.between($0.raw, id.raw)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let (candidate, distance) = best, distance <= max(3, id.raw.count / 3) else { return nil }
        return candidate
    }
}

/// Levenshtein distance, for suggestions.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
