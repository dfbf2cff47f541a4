import Foundation
import HeapModule

/// Runs a build: walks the closure of the targets inputs-first, computes each node's key from its
/// inputs' *output* digests (so an input rebuilt to identical bytes stops the rebuild: early
/// cutoff), reuses what the action cache has, and runs the rest on `jobs` worker threads,
/// longest remaining path first.
public final class Engine: @unchecked Sendable {
    public let projectRoot: String
    public let cacheDirectory: String
    public let store: ContentStore
    public let actions: ActionCache
    public let traces: TraceStore
    public let stats: StatCache
    public let lock: CacheLock
    let fs: FileSystem
    private let cancelLock = NSLock()
    private var cancelRequested = false
    /// Topics already warned about (a cache file in an unknown format): one warning per process.
    private var warnedAbout: Set<String> = []

    public init(projectRoot: String, cacheDirectory: String, fs: FileSystem = LocalFileSystem()) {
        self.projectRoot = projectRoot
        self.cacheDirectory = cacheDirectory
        self.fs = fs
        store = ContentStore(directory: cacheDirectory + "/objects", fs: fs)
        actions = ActionCache(path: cacheDirectory + "/actions.log", fs: fs)
        traces = TraceStore(directory: cacheDirectory + "/traces", fs: fs)
        stats = StatCache(path: cacheDirectory + "/stat.json", fs: fs)
        lock = CacheLock(cacheDirectory: cacheDirectory, fs: fs)
    }

    /// Done with the cache: lets other processes in, and compacts the action log if no other
    /// process is using the cache (compaction needs it to itself).
    public func close() {
        lock.release()
        if (try? lock.tryAcquire(.exclusive)) == true {
            try? actions.compactIfNeeded()
            lock.release()
        }
    }

    /// Stop launching new nodes; running ones are asked to stop through `BuildContext.isCancelled`.
    public func cancel() {
        cancelLock.lock()
        cancelRequested = true
        cancelLock.unlock()
    }

    public var isCancelled: Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return cancelRequested
    }

    /// True the first time it is asked about `topic`, so a repeated problem is reported once.
    func isFirstWarning(about topic: String) -> Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return warnedAbout.insert(topic).inserted
    }

    /// The cache's own files that were set aside because their format is unknown.
    private func reportFormatWarnings(to observer: BuildObserver?) {
        for (topic, warning) in [("actions", actions.formatWarning), ("stats", stats.formatWarning)] {
            if let warning, isFirstWarning(about: topic) { observer?.handle(.warning(Self.cacheNode, message: warning)) }
        }
    }

    /// The stat cache only saves re-hashing: when it cannot be written (a full disk), the build's
    /// outputs stand and its node results are reported; the next build hashes the sources again.
    private func saveStatCache(observer: BuildObserver?) {
        do {
            try stats.save()
        } catch {
            observer?.handle(.warning(Self.cacheNode, message: "\(error); not saved, so the next build hashes the source files again"))
        }
    }

    /// The name warnings about the cache itself are given, which belong to no node.
    static let cacheNode = NodeID("cache")

    /// The absolute path of a source file named relative to the project root.
    public func sourcePath(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : projectRoot + "/" + relative
    }

    public func build(_ graph: BuildGraph, targets: [NodeID], options: BuildOptions, observer: BuildObserver? = nil) throws -> BuildResult {
        let order = try graph.closure(of: targets)
        if lock.mode == nil { try lock.acquire(.shared) }
        try fs.makeDirectory(cacheDirectory + "/tmp")
        reportFormatWarnings(to: observer)
        let start = Date()
        var results: [NodeID: NodeResult] = [:]
        var finished: [NodeID] = []
        // A corrupt input object found mid-build is dropped with its action record; one more pass
        // then rebuilds it and whatever read it, reusing everything else. A chain of damaged
        // objects (features, trajectory, rows, frames) is uncovered one link per pass, so the
        // passes go on while each one drops an object no earlier pass dropped; an object found
        // damaged again after its rebuild fails its reader instead, so the passes end (and in
        // any case after one pass per node).
        var dropped: Set<Digest> = []
        for pass in 0...order.count {
            let run = Run(engine: self, graph: graph, order: order, targets: targets, options: options, observer: observer, droppedEarlier: dropped)
            run.settleReusedNodes()
            if run.remaining > 0 {
                let workers = (0..<run.workerCount).map { _ in Thread { run.work() } }
                for w in workers {
                    w.stackSize = 8 << 20
                    w.start()
                }
                run.waitUntilDone()
            }
            for r in run.results {
                // A node built in an earlier pass shows as built, not as reused by the retry.
                if let earlier = results[r.id], earlier.status == .built, r.status == .reused { continue }
                if results[r.id] == nil { finished.append(r.id) }
                results[r.id] = r
            }
            guard run.corruptInputSeen, pass < order.count, !isCancelled, !options.dryRun else { break }
            dropped.formUnion(run.dropped)
        }
        if !options.dryRun { saveStatCache(observer: observer) }
        return BuildResult(nodes: finished.map { results[$0]! }, wallSeconds: Date().timeIntervalSince(start), interrupted: isCancelled)
    }
}

/// The mutable state of one build, shared by the worker threads under one condition lock.
/// Nodes are numbered by their place in the topological order, so the hot loop indexes arrays
/// instead of hashing ids.
private final class Run: @unchecked Sendable {
    let engine: Engine
    let graph: BuildGraph
    let options: BuildOptions
    let observer: BuildObserver?
    let observerLock = NSLock()
    let condition = NSCondition()
    let allWorkersDone = DispatchSemaphore(value: 0)

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
    var finishedWorkers = 0
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
         droppedEarlier: Set<Digest> = []) {
        self.engine = engine
        self.droppedEarlier = droppedEarlier
        self.graph = graph
        self.options = options
        self.observer = observer
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
        guard let observer else { return }
        observerLock.lock()
        observer.handle(event)
        observerLock.unlock()
    }

    func waitUntilDone() { allWorkersDone.wait() }

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
        finishedWorkers += 1
        condition.broadcast()
        condition.unlock()
        allWorkersDone.signal()
    }

    // MARK: - One node

    /// The node's result; with `probeOnly`, nil instead of running a node that is not in the cache.
    func process(_ id: NodeID, recipe: (any Recipe)?, inputs: [(id: NodeID, output: Digest?, key: Digest?)], head: Digest?, isTarget: Bool, probeOnly: Bool) -> NodeResult? {
        guard let recipe else { return hashSource(id, path: id.filePath ?? id.raw) }
        do {
            return try make(recipe, inputs: inputs, head: head, isTarget: isTarget, probeOnly: probeOnly)
        } catch let error as GraphError where error.isDamagedObject {
            if let digest = error.damagedObject, droppedEarlier.contains(digest) {
                // Rebuilt by an earlier pass and damaged again: the store cannot keep it, and
                // another pass would not end.
                let message = GraphError.damagedAgain(digest, path: engine.store.path(of: digest)).description
                emit(.failed(id, message: message))
                return NodeResult(id: id, status: .failed, seconds: 0, reasons: [], message: message)
            }
            if let digest = error.damagedObject {
                droppedLock.lock()
                dropped.insert(digest)
                droppedLock.unlock()
            }
            let message = error.description
            emit(.warning(id, message: message))
            var result = NodeResult(id: id, status: .failed, seconds: 0, reasons: [], message: message)
            result.awaitsRetry = true
            return result
        } catch {
            let message = String(describing: error)
            emit(.failed(id, message: message))
            return NodeResult(id: id, status: .failed, seconds: 0, reasons: [], message: message)
        }
    }

    /// The node's last trace; one in an unknown format counts as none, with one warning per build.
    func previousTrace(_ id: NodeID) -> Trace? {
        let reading = engine.traces.read(id)
        if case .unreadable(let path, let problem) = reading, engine.isFirstWarning(about: "traces") {
            emit(.warning(id, message: "\(path): \(problem); traces like it are ignored (the node explains itself as never built) and rewritten when their node builds"))
        }
        return reading.trace
    }

    func hashSource(_ id: NodeID, path: String) -> NodeResult {
        do {
            guard let digest = try engine.stats.digest(key: path, absolutePath: engine.sourcePath(path)) else {
                throw GraphError.missingSource(id, path: path)
            }
            return NodeResult(id: id, status: .reused, output: digest, seconds: 0, reasons: [])
        } catch {
            let message = String(describing: error)
            emit(.failed(id, message: message))
            return NodeResult(id: id, status: .failed, seconds: 0, reasons: [], message: message)
        }
    }

    func make(_ recipe: any Recipe, inputs: [(id: NodeID, output: Digest?, key: Digest?)], head: Digest?, isTarget: Bool, probeOnly: Bool) throws -> NodeResult? {
        let id = recipe.id
        let kind = type(of: recipe).kind
        let version = type(of: recipe).version
        let params = try CanonicalParams.flatten(recipe.params)
        var known: [String: Digest] = [:]
        var unknown: [NodeID] = []
        for input in inputs {
            if let digest = input.output { known[input.id.raw] = digest } else { unknown.append(input.id) }
        }
        // Only explanations need the inputs' labels; a reused node never asks.
        var labels: [String: String] {
            var labels: [String: String] = [:]
            for input in inputs { if let label = graph.recipes[input.id]?.label { labels[input.id.raw] = label } }
            return labels
        }
        // Dry run with an input that would be rebuilt: its new output, and so this key, is unknown.
        if !unknown.isEmpty {
            var reasons = unknown.sorted().map { Reason.inputWillRebuild(id: $0, label: labels[$0.raw]) }
            if let previous = previousTrace(id) {
                reasons += Explanation.reasons(previous: previous, kind: kind, version: version, params: params, inputs: known, labels: labels)
                    .filter { if case .inputChanged(_, _, _, nil) = $0 { return false } else { return true } }
            }
            emit(.wouldRun(id, reasons: reasons))
            return NodeResult(id: id, status: .wouldRun, seconds: 0, reasons: reasons)
        }

        let key = ActionKey.compute(kind: kind, version: version, params: params, inputs: known)
        // Only targets' objects are checked here: the caller reads them after the build. An
        // intermediate object is read only by a dependent that rebuilds, which verifies it and,
        // if it is missing or corrupt, drops it and has the engine rebuild it (a retry pass).
        // Checking every object made a no-op build of 100k nodes a fifth slower.
        // A target is re-hashed, not stat'ed: an in-place edit keeps the size and can keep the
        // mtime (`touch -r`, taggers that preserve it), and bit rot changes neither, so no stat
        // shortcut tells a good object from a damaged one. Targets are few (the videos and
        // previews), and XXH3 reads them at memory speed. A damaged one is rebuilt here, and its
        // fresh bytes replace it in the store.
        if let record = engine.actions.lookup(key), try !isTarget || engine.store.isIntact(record.output, size: record.size) {
            if !options.dryRun && head != key {
                // Reusing an older build (a config switched back): its trace becomes the current one.
                try engine.traces.save(Trace(kind: kind, version: version, key: key, params: params, inputs: known, output: record.output, seconds: record.seconds), for: id)
                try engine.actions.setHead(key, for: id)
            }
            if !options.dryRun { try engine.actions.markUsed(key) }
            emit(.reused(id, output: record.output))
            return NodeResult(id: id, status: .reused, key: key, output: record.output, seconds: 0, reasons: [])
        }

        if probeOnly { return nil }
        let previous = previousTrace(id)
        var reasons = Explanation.reasons(previous: previous, kind: kind, version: version, params: params, inputs: known, labels: labels)
        if reasons.isEmpty { reasons = previous?.key == key ? [.outputMissing] : [.neverBuilt] }
        if options.dryRun {
            emit(.wouldRun(id, reasons: reasons))
            return NodeResult(id: id, status: .wouldRun, key: key, seconds: 0, reasons: reasons)
        }

        emit(.started(id, reasons: reasons, workUnits: recipe.workUnits))
        var paths: [NodeID: String] = [:]
        for (input, digest) in known {
            let node = NodeID(input)
            if let path = node.filePath {
                paths[node] = engine.sourcePath(path)
            } else {
                // Verify what we read: a corrupt or missing object is dropped with its action
                // record, and the retry pass makes it again instead of propagating it.
                let present = engine.store.contains(digest)
                guard present, try engine.store.verify(digest) else {
                    if let producerKey = inputs.first(where: { $0.id == node })?.key { try? engine.actions.remove(producerKey) }
                    let path = engine.store.path(of: digest)
                    throw present ? GraphError.corruptObject(digest, path: path) : GraphError.missingObject(digest, path: path)
                }
                paths[node] = engine.store.path(of: digest)
            }
        }
        let context = BuildContext(
            id: id, projectRoot: engine.projectRoot, fileSystem: engine.fs, inputPaths: paths, inputDigests: Dictionary(uniqueKeysWithValues: known.map { (NodeID($0.key), $0.value) }),
            temporaryDirectory: engine.cacheDirectory + "/tmp",
            onProgress: { [weak self] done, total, detail in self?.emit(.progress(id, done: done, total: total, detail: detail)) },
            cancelled: { [engine] in engine.isCancelled })
        let started = Date()
        do {
            let produced = try recipe.make(context)
            let output = try engine.store.insert(fileAt: produced)
            let seconds = Date().timeIntervalSince(started)
            context.removeTemporaries()
            let size = engine.store.size(of: output) ?? 0
            try engine.actions.record(ActionRecord(output: output, size: size, seconds: seconds, kind: kind), for: key)
            try engine.traces.save(Trace(kind: kind, version: version, key: key, params: params, inputs: known, output: output, seconds: seconds), for: id)
            try engine.actions.setHead(key, for: id)
            emit(.built(id, output: output, seconds: seconds))
            return NodeResult(id: id, status: .built, key: key, output: output, seconds: seconds, reasons: reasons)
        } catch {
            context.removeTemporaries()
            throw context.userFacing(error)
        }
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
