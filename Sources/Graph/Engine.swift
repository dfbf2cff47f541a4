import Foundation

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
    /// Guards the flags below, which worker threads read and set.
    private let flagsLock = NSLock()
    private var cancelRequested = false
    /// Topics already warned about (a cache file in an unknown format): one warning per process.
    private var warnedAbout: Set<String> = []
    /// The shared cache, if any; dropped for the rest of the process after it fails once.
    private var remoteOptions: RemoteCacheOptions?
    private var traffic = RemoteTraffic()

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
        flagsLock.lock()
        cancelRequested = true
        flagsLock.unlock()
    }

    public var isCancelled: Bool {
        flagsLock.lock()
        defer { flagsLock.unlock() }
        return cancelRequested
    }

    /// Builds look nodes up in `remote` before running them, and put what they build there.
    public func useRemote(_ remote: RemoteCacheOptions?) {
        flagsLock.lock()
        remoteOptions = remote
        flagsLock.unlock()
    }

    /// The remote cache while it works.
    var remote: RemoteCacheOptions? {
        flagsLock.lock()
        defer { flagsLock.unlock() }
        return remoteOptions
    }

    /// A remote cache that fails (down, refusing, a bad entry) is left for the rest of the
    /// process: one warning, and the build goes on locally. Returns the warning to give.
    func remoteFailed(_ error: Error) -> String? {
        flagsLock.lock()
        defer { flagsLock.unlock() }
        guard let remote = remoteOptions else { return nil }
        remoteOptions = nil
        return "remote cache \(remote.cache.name): \(error); building without it"
    }

    /// What went through the remote cache so far.
    public var remoteTraffic: RemoteTraffic {
        flagsLock.lock()
        defer { flagsLock.unlock() }
        return traffic
    }

    func count(fetched bytes: Int? = nil, uploaded: Int? = nil) {
        flagsLock.lock()
        defer { flagsLock.unlock() }
        if let bytes { traffic.fetched += 1; traffic.bytesDown += bytes }
        if let uploaded { traffic.uploaded += 1; traffic.bytesUp += uploaded }
    }

    /// True the first time it is asked about `topic`, so a repeated problem is reported once.
    func isFirstWarning(about topic: String) -> Bool {
        flagsLock.lock()
        defer { flagsLock.unlock() }
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
        let observer = observer.map(SerializedObserver.init)
        let uploads = !options.dryRun && remote?.upload == true ? RemoteUploadQueue(engine: self, observer: observer) : nil
        defer { uploads?.finish() }
        for pass in 0...order.count {
            let run = BuildRun(engine: self, graph: graph, order: order, targets: targets, options: options, observer: observer,
                               uploads: uploads, droppedEarlier: dropped)
            run.settleReusedNodes()
            if run.remaining > 0 {
                run.runWorkers()
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
        uploads?.finish()
        if !options.dryRun { saveStatCache(observer: observer) }
        return BuildResult(nodes: finished.map { results[$0]! }, wallSeconds: Date().timeIntervalSince(start), interrupted: isCancelled)
    }
}
