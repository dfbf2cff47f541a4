import Foundation

/// An input as a node sees it when it runs: its output and key, nil when a dry run would rebuild it.
typealias InputState = (id: NodeID, output: Digest?, key: Digest?)

/// What one node does in a build: reuse its cached output, say it would run, or run its recipe.
extension BuildRun {
    /// The node's result; with `probeOnly`, nil instead of running a node that is not in the cache.
    func process(_ id: NodeID, recipe: (any Recipe)?, inputs: [InputState], head: Digest?, isTarget: Bool, probeOnly: Bool) -> NodeResult? {
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
            if let digest = error.damagedObject { noteDropped(digest) }
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
                // Named by the nodes that read it (sorted, so the message does not depend on the order they were added).
                let users = order.firstIndex(of: id).map { dependents[$0].map { order[$0] } } ?? []
                throw GraphError.missingSource(path: path, neededBy: users.sorted { $0.raw < $1.raw })
            }
            return NodeResult(id: id, status: .reused, output: digest, seconds: 0, reasons: [])
        } catch {
            let message = String(describing: error)
            emit(.failed(id, message: message))
            return NodeResult(id: id, status: .failed, seconds: 0, reasons: [], message: message)
        }
    }

    /// Reuses the node's output if its key is in the cache, else runs it (unless `probeOnly`).
    func make(_ recipe: any Recipe, inputs: [InputState], head: Digest?, isTarget: Bool, probeOnly: Bool) throws -> NodeResult? {
        let action = try ActionMaterial(recipe: recipe, inputs: inputs)
        if !action.unknownInputs.isEmpty { return wouldRunAfterRebuiltInputs(action, inputs: inputs) }
        let key = action.key
        if let reused = try reuseCachedOutput(action, key: key, head: head, isTarget: isTarget) { return reused }
        if probeOnly { return nil }
        var reasons = reasonsToRun(action, key: key, inputs: inputs)
        if options.dryRun {
            // A node the remote has keeps its output digest in the plan, so the nodes after it
            // can compute their keys and say whether the remote has them too.
            let remoteEntry = engine.remote.flatMap { try? $0.cache.lookup(key) }
            if remoteEntry != nil { reasons.append(.inRemoteCache) }
            emit(.wouldRun(action.id, reasons: reasons))
            return NodeResult(id: action.id, status: .wouldRun, key: key, output: remoteEntry?.output, seconds: 0, reasons: reasons)
        }
        let fetch = fetchFromRemote(action, key: key)
        if let fetched = fetch.result { return fetched }
        emit(.started(action.id, reasons: reasons, workUnits: recipe.workUnits))
        let paths = try verifiedInputPaths(action, inputs: inputs)
        let result = try runRecipe(recipe, action, key: key, inputPaths: paths, reasons: reasons)
        uploadToRemote(action, key: key, result: result, replacing: fetch.damaged)
        return result
    }

    /// The node's output from the remote cache, re-hashed and moved into the local store, if the
    /// remote has its key. `damaged`: the remote's object did not hash to its name (it is
    /// rebuilt here and replaced there).
    private func fetchFromRemote(_ action: ActionMaterial, key: Digest) -> (result: NodeResult?, damaged: Bool) {
        guard let remote = engine.remote else { return (nil, false) }
        let temporary = engine.cacheDirectory + "/tmp/remote-" + UUID().uuidString
        defer { try? engine.fs.remove(temporary) }
        do {
            guard let entry = try remote.cache.lookup(key) else { return (nil, false) }
            try remote.cache.download(entry.output, to: temporary)
            let digest = try engine.fs.digest(of: temporary)
            guard digest == entry.output else {
                emit(.warning(action.id, message: "remote cache \(remote.cache.name): object \(entry.output.short) is damaged (its bytes hash to \(digest.short)); building it here"))
                return (nil, true)
            }
            let output = try engine.store.insert(fileAt: temporary)
            let size = engine.store.size(of: output) ?? entry.size
            try engine.actions.record(ActionRecord(output: output, size: size, seconds: 0, kind: action.kind), for: key)
            try engine.traces.save(action.trace(key: key, output: output, seconds: 0), for: action.id)
            try engine.actions.setHead(key, for: action.id)
            engine.count(fetched: size)
            emit(.fetched(action.id, output: output, bytes: size))
            return (NodeResult(id: action.id, status: .fetched, key: key, output: output, seconds: 0, reasons: []), false)
        } catch {
            if let warning = engine.remoteFailed(error) { emit(.warning(action.id, message: warning)) }
            return (nil, false)
        }
    }

    /// Queues a built node's object, then its entry, for the remote (never an entry before its object).
    private func uploadToRemote(_ action: ActionMaterial, key: Digest, result: NodeResult, replacing: Bool) {
        guard let uploads, let output = result.output else { return }
        let entry = RemoteEntry(output: output, size: engine.store.size(of: output) ?? 0, kind: action.kind)
        uploads.add(.init(id: action.id, key: key, objectPath: engine.store.path(of: output), entry: entry, replacing: replacing))
    }

    /// Only explanations need the inputs' labels; a reused node never asks.
    private func labels(of inputs: [InputState]) -> [String: String] {
        var labels: [String: String] = [:]
        for input in inputs { if let label = graph.recipes[input.id]?.label { labels[input.id.raw] = label } }
        return labels
    }

    /// A dry run with an input that would be rebuilt: its new output, and so this key, is unknown.
    private func wouldRunAfterRebuiltInputs(_ action: ActionMaterial, inputs: [InputState]) -> NodeResult {
        let labels = labels(of: inputs)
        var reasons = action.unknownInputs.sorted().map { Reason.inputWillRebuild(id: $0, label: labels[$0.raw]) }
        if let previous = previousTrace(action.id) {
            reasons += Explanation.reasons(previous: previous, kind: action.kind, code: action.code, params: action.params, inputs: action.knownInputs, labels: labels)
                .filter { if case .inputChanged(_, _, _, nil) = $0 { return false } else { return true } }
        }
        emit(.wouldRun(action.id, reasons: reasons))
        return NodeResult(id: action.id, status: .wouldRun, seconds: 0, reasons: reasons)
    }

    /// The cached output under `key`, if there is one (and, for a target, it is intact).
    ///
    /// Only targets' objects are checked here: the caller reads them after the build. An
    /// intermediate object is read only by a dependent that rebuilds, which verifies it and,
    /// if it is missing or corrupt, drops it and has the engine rebuild it (a retry pass).
    /// Checking every object made a no-op build of 100k nodes a fifth slower.
    /// A target is re-hashed, not stat'ed: an in-place edit keeps the size and can keep the
    /// mtime (`touch -r`, taggers that preserve it), and bit rot changes neither, so no stat
    /// shortcut tells a good object from a damaged one. Targets are few (the videos and
    /// previews), and XXH3 reads them at memory speed. A damaged one is rebuilt, and its
    /// fresh bytes replace it in the store.
    private func reuseCachedOutput(_ action: ActionMaterial, key: Digest, head: Digest?, isTarget: Bool) throws -> NodeResult? {
        guard let record = engine.actions.lookup(key), try !isTarget || engine.store.isIntact(record.output, size: record.size) else { return nil }
        if !options.dryRun && head != key {
            // Reusing an older build (a config switched back): its trace becomes the current one.
            try engine.traces.save(action.trace(key: key, output: record.output, seconds: record.seconds), for: action.id)
            try engine.actions.setHead(key, for: action.id)
        }
        if !options.dryRun { try engine.actions.markUsed(key) }
        emit(.reused(action.id, output: record.output))
        return NodeResult(id: action.id, status: .reused, key: key, output: record.output, seconds: 0, reasons: [])
    }

    /// What changed since the node's last build, old → new; or that it never was built, or that
    /// its output went missing.
    private func reasonsToRun(_ action: ActionMaterial, key: Digest, inputs: [InputState]) -> [Reason] {
        let previous = previousTrace(action.id)
        let reasons = Explanation.reasons(previous: previous, kind: action.kind, code: action.code, params: action.params,
                                          inputs: action.knownInputs, labels: labels(of: inputs))
        if !reasons.isEmpty { return reasons }
        return previous?.key == key ? [.outputMissing] : [.neverBuilt]
    }

    /// Where the recipe reads each input: the source file, or the store's object once it is
    /// re-hashed. A corrupt or missing object is dropped with its action record, and the retry
    /// pass makes it again instead of propagating it.
    private func verifiedInputPaths(_ action: ActionMaterial, inputs: [InputState]) throws -> [NodeID: String] {
        var paths: [NodeID: String] = [:]
        for (input, digest) in action.knownInputs {
            let node = NodeID(input)
            if let path = node.filePath {
                paths[node] = engine.sourcePath(path)
                continue
            }
            let present = engine.store.contains(digest)
            guard present, try engine.store.verify(digest) else {
                if let producerKey = inputs.first(where: { $0.id == node })?.key { try? engine.actions.remove(producerKey) }
                let path = engine.store.path(of: digest)
                throw present ? GraphError.corruptObject(digest, path: path) : GraphError.missingObject(digest, path: path)
            }
            paths[node] = engine.store.path(of: digest)
        }
        return paths
    }

    /// Runs the recipe, moves its output into the store and records it (action, trace, head).
    private func runRecipe(_ recipe: any Recipe, _ action: ActionMaterial, key: Digest, inputPaths: [NodeID: String], reasons: [Reason]) throws -> NodeResult {
        let id = action.id
        let context = BuildContext(
            id: id, projectRoot: engine.projectRoot, fileSystem: engine.fs, inputPaths: inputPaths,
            inputDigests: Dictionary(uniqueKeysWithValues: action.knownInputs.map { (NodeID($0.key), $0.value) }),
            temporaryDirectory: engine.cacheDirectory + "/tmp",
            onProgress: { [weak self] done, total, detail in self?.emit(.progress(id, done: done, total: total, detail: detail)) },
            cancelled: { [engine] in engine.isCancelled })
        defer { context.removeTemporaries() }
        let started = Date()
        do {
            let produced = try recipe.make(context)
            let output = try engine.store.insert(fileAt: produced)
            let seconds = Date().timeIntervalSince(started)
            let size = engine.store.size(of: output) ?? 0
            try engine.actions.record(ActionRecord(output: output, size: size, seconds: seconds, kind: action.kind), for: key)
            try engine.traces.save(action.trace(key: key, output: output, seconds: seconds), for: id)
            try engine.actions.setHead(key, for: id)
            emit(.built(id, output: output, seconds: seconds))
            return NodeResult(id: id, status: .built, key: key, output: output, seconds: seconds, reasons: reasons)
        } catch {
            throw context.userFacing(error)
        }
    }
}

/// What a node's key is made of, gathered once: its kind, code versions, canonical params and the
/// output digests of its inputs.
struct ActionMaterial {
    let id: NodeID
    let kind: String
    /// The versions of the recipe's own code and of the components it runs.
    let code: [String: Int]
    let params: [String: String]
    /// Input id → its output digest in this build.
    private(set) var knownInputs: [String: Digest] = [:]
    /// Inputs a dry run would rebuild: their outputs, and so the key, are not known yet.
    private(set) var unknownInputs: [NodeID] = []

    init(recipe: any Recipe, inputs: [InputState]) throws {
        id = recipe.id
        kind = type(of: recipe).kind
        code = type(of: recipe).code
        params = try CanonicalParams.flatten(recipe.params)
        for input in inputs {
            if let digest = input.output { knownInputs[input.id.raw] = digest } else { unknownInputs.append(input.id) }
        }
    }

    var key: Digest { ActionKey.compute(kind: kind, code: code, params: params, inputs: knownInputs) }

    func trace(key: Digest, output: Digest, seconds: Double) -> Trace {
        Trace(kind: kind, code: code, key: key, params: params, inputs: knownInputs, output: output, seconds: seconds)
    }
}
