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
    /// Iterative depth-first search: graphs can be thousands of nodes deep.
    public func closure(of targets: [NodeID]) throws -> [NodeID] {
        var order: [NodeID] = []
        var done: Set<NodeID> = []
        var onStack: Set<NodeID> = []
        var stack: [(id: NodeID, inputs: [NodeID], next: Int)] = []
        func push(_ id: NodeID) throws {
            let recipe = recipes[id]
            guard recipe != nil || id.isFile else {
                throw GraphError.unknownNode(id, suggestion: suggestion(for: id))
            }
            onStack.insert(id)
            stack.append((id, recipe?.inputs ?? [], 0))
        }
        for target in targets where !done.contains(target) {
            try push(target)
            while let top = stack.last {
                if top.next < top.inputs.count {
                    stack[stack.count - 1].next += 1
                    let input = top.inputs[top.next]
                    if done.contains(input) { continue }
                    if onStack.contains(input) {
                        let start = stack.firstIndex { $0.id == input }!
                        throw GraphError.cycle(stack[start...].map(\.id) + [input])
                    }
                    try push(input)
                } else {
                    stack.removeLast()
                    onStack.remove(top.id)
                    done.insert(top.id)
                    order.append(top.id)
                }
            }
        }
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
