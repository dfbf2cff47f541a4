import Graph

/// What a cluster has to build, read from a dry run made with the remote cache.
public enum ClusterWork {
    /// The nodes that must run for `targets`, from the targets down: a node would run and the
    /// remote cache does not have it. A node that is fresh here or in the remote cache is
    /// fetched or reused by the task that needs it, so what lies under it is not needed. Sorted.
    public static func needed(targets: [NodeID], plan: BuildResult, graph: BuildGraph) -> [NodeID] {
        var byID: [NodeID: NodeResult] = [:]
        for result in plan.nodes { byID[result.id] = result }
        var needed = Set<NodeID>()
        var stack = targets
        while let id = stack.popLast() {
            guard !needed.contains(id), let result = byID[id], result.status == .wouldRun,
                  !result.reasons.contains(.inRemoteCache) else { continue }
            needed.insert(id)
            stack.append(contentsOf: graph.inputs(of: id))
        }
        return needed.sorted { $0.raw < $1.raw }
    }
}
