import Foundation
import HeapModule

/// The mutable state of one build, shared by the worker threads under one condition lock.
/// Nodes are numbered by their place in the topological order, so the hot loop indexes arrays
/// instead of hashing ids.
final class BuildRun: @unchecked Sendable {
    let engine: Engine
    let graph: BuildGraph
    let options: BuildOptions
    /// Serialized: workers and the upload queue report through it.
    let observer: BuildObserver?
    /// Write-behind to the remote cache (nil without one, or when this build does not upload).
    let uploads: RemoteUploadQueue?
    let condition = NSCondition()
    /// Signalled by each worker thread as it leaves `work`.
    let workerExited = DispatchSemaphore(value: 0)

    let order: [NodeID]
    /// The recipe of each node (nil for source files), looked up once.
    let recipes: [(any Recipe)?]
    let inputs: [[Int]]
    var dependents: [[Int]]
    var pendingInputs: [Int]
    var priority: [Double]
    /// Each node's head key when the build started (read once: it is a string-keyed lookup).
    var heads: [Digest?] = []
    /// Targets: the nodes whose objects the caller will read after the build.
    var isTarget: [Bool] = []
    var ready = Heap<ReadyNode>()
    var outputs: [Digest?]
    var keys: [Digest?]
    var statuses: [NodeStatus?]
    var results: [NodeResult] = []
    var remaining: Int
    var running = 0
    var stopLaunching = false
    var corruptInputSeen = false
    /// Nodes that failed or were skipped only because of a damaged object: the next pass builds
    /// them, so they are reported neither as failed nor as skipped.
    var awaitingRetry: [Bool]
    /// Damaged objects dropped by earlier passes, and by this one (under `droppedLock`).
    let droppedEarlier: Set<Digest>
    private(set) var dropped: Set<Digest> = []
    let droppedLock = NSLock()
    let workerCount: Int

    init(engine: Engine, graph: BuildGraph, order: [NodeID], targets: [NodeID], options: BuildOptions, observer: BuildObserver?,
         uploads: RemoteUploadQueue? = nil, droppedEarlier: Set<Digest> = []) {
        self.engine = engine
        self.droppedEarlier = droppedEarlier
        self.graph = graph
        self.options = options
        self.observer = observer
        self.uploads = uploads
        self.order = order
        remaining = order.count
        workerCount = min(options.jobs, max(1, order.count))
        var number: [NodeID: Int] = [:]
        number.reserveCapacity(order.count)
        for (i, id) in order.enumerated() { number[id] = i }
        recipes = order.map { graph.recipes[$0] }
        inputs = recipes.map { recipe in
            var unique: [Int] = []
            for input in recipe?.inputs ?? [] {
                if let n = number[input], !unique.contains(n) { unique.append(n) }
            }
            return unique
        }
        dependents = Array(repeating: [], count: order.count)
        for (i, ins) in inputs.enumerated() { for input in ins { dependents[input].append(i) } }
        pendingInputs = inputs.map(\.count)
        outputs = Array(repeating: nil, count: order.count)
        keys = Array(repeating: nil, count: order.count)
        statuses = Array(repeating: nil, count: order.count)
        awaitingRetry = Array(repeating: false, count: order.count)
        // Critical path first: a node's priority is its own expected seconds plus the longest
        // chain of expected seconds that waits on it.
        heads = order.map { engine.actions.head(of: $0) }
        isTarget = recipes.map { $0?.isDeliverable == true }
        for target in targets { if let n = number[target] { isTarget[n] = true } }
        let cost = Self.expectedSeconds(recipes: recipes, heads: heads, actions: engine.actions)
        priority = Array(repeating: 0, count: order.count)
        for i in order.indices.reversed() {
            priority[i] = cost[i] + (dependents[i].map { priority[$0] }.max() ?? 0)
        }
    }

    /// Before any worker starts, settles on this thread every source file and every node whose
    /// inputs are settled and whose key is in the cache, in topological order. A no-op build
    /// ends here: no locks, no thread hand-offs (which cost more than the checks themselves).
    /// What is left — nodes that must run and everything downstream of them — goes to the workers.
    func settleReusedNodes() {
        var settled = Array(repeating: false, count: order.count)
        for node in order.indices where !stopLaunching && !engine.isCancelled {
            guard inputs[node].allSatisfy({ settled[$0] && statuses[$0] == .reused }) else { continue }
            let state = inputs[node].map { (order[$0], outputs[$0], keys[$0]) }
            guard let result = process(order[node], recipe: recipes[node], inputs: state, head: heads[node], isTarget: isTarget[node], probeOnly: true) else { continue }
            settled[node] = true
            finish(node, result)
        }
        for node in order.indices where !settled[node] {
            pendingInputs[node] = inputs[node].filter { !settled[$0] }.count
            if pendingInputs[node] == 0 { ready.insert(ReadyNode(priority: priority[node], index: node)) }
        }
    }

    /// A damaged object this pass dropped: the next pass rebuilds it. Any worker may call it.
    func noteDropped(_ digest: Digest) {
        droppedLock.lock()
        dropped.insert(digest)
        droppedLock.unlock()
    }

    /// Records a node's result. Called with the condition lock held (or before workers start).
    func finish(_ node: Int, _ result: NodeResult) {
        remaining -= 1
        statuses[node] = result.status
        outputs[node] = result.output
        keys[node] = result.key
        awaitingRetry[node] = result.awaitsRetry
        if !order[node].isFile || result.status == .failed { results.append(result) }
        if result.status == .failed && !options.keepGoing && !result.awaitsRetry { stopLaunching = true }
        if result.awaitsRetry { corruptInputSeen = true }
    }

    /// What each node is expected to cost: the seconds its last build took (from the action
    /// cache), or for a node never built, its work units at the average seconds per unit seen.
    static func expectedSeconds(recipes: [(any Recipe)?], heads: [Digest?], actions: ActionCache) -> [Double] {
        var cost = Array(repeating: 0.0, count: recipes.count)
        var measuredSeconds = 0.0, measuredUnits = 0
        var unmeasured: [(Int, Int)] = []
        for (i, recipe) in recipes.enumerated() {
            guard let recipe else { continue }
            if let key = heads[i], let record = actions.lookup(key) {
                cost[i] = record.seconds
                measuredSeconds += record.seconds
                measuredUnits += recipe.workUnits
            } else {
                unmeasured.append((i, recipe.workUnits))
            }
        }
        let perUnit = measuredUnits > 0 ? measuredSeconds / Double(measuredUnits) : 0.01
        for (i, units) in unmeasured { cost[i] = Double(units) * perUnit }
        return cost
    }

    func emit(_ event: BuildEvent) {
        observer?.handle(event)
    }

    /// Runs `work` on `workerCount` threads and returns once every one of them has finished.
    func runWorkers() {
        for _ in 0..<workerCount {
            let thread = Thread { self.work() }
            // Recipes run here: as much stack as a main thread gets, whatever the platform default.
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<workerCount { workerExited.wait() }
    }

    func work() {
        condition.lock()
        while true {
            if remaining == 0 || ((stopLaunching || engine.isCancelled) && running == 0) { break }
            if stopLaunching || engine.isCancelled || ready.isEmpty {
                condition.wait()
                continue
            }
            let node = ready.removeMax().index
            running += 1
            let blocked = inputs[node].first { statuses[$0] == .failed || statuses[$0] == .skipped }
            let blockedByRetry = blocked.map { awaitingRetry[$0] } ?? false
            let inputState = inputs[node].map { (order[$0], outputs[$0], keys[$0]) }
            condition.unlock()

            let id = order[node]
            var result: NodeResult
            if let blocked, blockedByRetry {
                // Not a failure the user needs to hear about: the next pass builds both.
                result = NodeResult(id: id, status: .skipped, seconds: 0, reasons: [], message: "waits for \(order[blocked]) to be rebuilt")
                result.awaitsRetry = true
            } else if let blocked {
                result = NodeResult(id: id, status: .skipped, seconds: 0, reasons: [], message: "input \(order[blocked]) failed")
                emit(.skipped(id, because: order[blocked]))
            } else {
                result = process(id, recipe: recipes[node], inputs: inputState, head: heads[node], isTarget: isTarget[node], probeOnly: false)!
            }

            condition.lock()
            running -= 1
            finish(node, result)
            for d in dependents[node] {
                pendingInputs[d] -= 1
                if pendingInputs[d] == 0 { ready.insert(ReadyNode(priority: priority[d], index: d)) }
            }
            // This worker takes the next ready node itself; wake another only for a second one.
            // Waking every worker after every node cost more than a no-op node's whole check.
            if remaining == 0 || stopLaunching || engine.isCancelled {
                condition.broadcast()
            } else if ready.count > 1 {
                condition.signal()
            }
        }
        condition.broadcast()
        condition.unlock()
        workerExited.signal()
    }
}

/// A node whose inputs are all done, ordered by priority (ties: the earlier in topological
/// order first, so the order is the same on every run).
struct ReadyNode: Comparable {
    var priority: Double
    /// Place in the topological order.
    var index: Int
    static func < (a: ReadyNode, b: ReadyNode) -> Bool {
        a.priority != b.priority ? a.priority < b.priority : a.index > b.index
    }
}
