import Foundation

/// The cache's life-cycle: what it holds (`stats`), proof that it is intact (`verify`), and
/// eviction (`collect`: least recently used first, down to an age and a size cap, never an
/// object the caller names as a root). Every operation that deletes expects the caller to hold
/// the cache lock exclusively.
public struct CacheMaintenance {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public struct StoredObject: Sendable {
        public var digest: Digest
        public var bytes: Int
        /// Kind of the node that made it; nil for an object no action record names (left by a
        /// build killed between storing it and recording it).
        public var kind: String?
        public var lastUsed: Int64
    }

    /// Every object in the store, with its kind and the last time a build made or reused it.
    public func objects() -> [StoredObject] {
        var byOutput: [Digest: (kind: String, lastUsed: Int64)] = [:]
        for record in engine.actions.allRecords.values {
            let seen = byOutput[record.output]
            if seen == nil || seen!.lastUsed < record.lastUsed { byOutput[record.output] = (record.kind, record.lastUsed) }
        }
        var result: [StoredObject] = []
        let fs = engine.fs
        let root = engine.store.directory
        for shard in fs.list(root).sorted() {
            for name in fs.list(root + "/" + shard).sorted() {
                guard let digest = Digest(hex: name), let status = fs.status(root + "/" + shard + "/" + name) else { continue }
                let known = byOutput[digest]
                result.append(StoredObject(digest: digest, bytes: Int(status.size), kind: known?.kind,
                                           lastUsed: known?.lastUsed ?? status.modifiedNs / 1_000_000_000))
            }
        }
        return result
    }

    // MARK: - verify

    public struct VerifyReport: Sendable {
        public var checked = 0
        public var bytes = 0
        public var corrupt: [Digest] = []
    }

    /// Re-hashes every object; corrupt ones are removed with the records that name them, so the
    /// next build remakes them.
    public func verify(progress: ((Int, Int) -> Void)? = nil) throws -> VerifyReport {
        var report = VerifyReport()
        let all = objects()
        for (i, object) in all.enumerated() {
            report.checked += 1
            report.bytes += object.bytes
            if try !engine.store.verify(object.digest) { report.corrupt.append(object.digest) }
            progress?(i + 1, all.count)
        }
        try dropRecords(producing: Set(report.corrupt))
        return report
    }

    // MARK: - gc

    public struct Policy: Sendable {
        public var maxBytes: Int?
        public var maxAgeSeconds: Int64?
        public var dryRun: Bool
        public init(maxBytes: Int? = nil, maxAgeSeconds: Int64? = nil, dryRun: Bool = false) {
            self.maxBytes = maxBytes
            self.maxAgeSeconds = maxAgeSeconds
            self.dryRun = dryRun
        }
    }

    public struct CollectReport: Sendable {
        public var removed: [StoredObject] = []
        public var kept: [StoredObject] = []
        public var rootBytes = 0
        public var temporaryFiles = 0
        public var removedBytes: Int { removed.reduce(0) { $0 + $1.bytes } }
        public var keptBytes: Int { kept.reduce(0) { $0 + $1.bytes } }
    }

    /// Evicts objects older than the age cap, then the least recently used until the store fits
    /// the size cap. Roots are never evicted, even if they alone exceed the cap.
    public func collect(roots: Set<Digest>, policy: Policy, now: Int64 = ActionRecord.now()) throws -> CollectReport {
        var report = CollectReport()
        var candidates: [StoredObject] = []
        for object in objects() {
            if roots.contains(object.digest) {
                report.kept.append(object)
                report.rootBytes += object.bytes
            } else if let maxAge = policy.maxAgeSeconds, now - object.lastUsed > maxAge {
                report.removed.append(object)
            } else {
                candidates.append(object)
            }
        }
        // Most recently used first; ties by digest so the choice is reproducible.
        candidates.sort { ($0.lastUsed, $0.digest) > ($1.lastUsed, $1.digest) }
        var total = report.rootBytes
        for object in candidates {
            if let cap = policy.maxBytes, total + object.bytes > cap {
                report.removed.append(object)
            } else {
                total += object.bytes
                report.kept.append(object)
            }
        }
        let temporary = engine.cacheDirectory + "/tmp"
        let leftovers = engine.fs.list(temporary)
        report.temporaryFiles = leftovers.count
        guard !policy.dryRun else { return report }

        // Records first, then objects: a crash in between leaves unrecorded objects (collected
        // next time), never a record naming a missing object.
        try dropRecords(producing: Set(report.removed.map(\.digest)))
        for object in report.removed { try? engine.fs.remove(engine.store.path(of: object.digest)) }
        for name in leftovers { try? engine.fs.remove(temporary + "/" + name) }
        try engine.actions.compact()
        return report
    }

    // MARK: - dead nodes

    /// Forgets nodes that are no longer in the graph (their heads and traces) and returns the
    /// objects that only they pointed at, for the caller to collect.
    public func forgetDeadNodes(live: Set<String>, dryRun: Bool) throws -> (nodes: [String], outputs: Set<Digest>) {
        let heads = engine.actions.allHeads
        let records = engine.actions.allRecords
        let dead = heads.keys.filter { !live.contains($0) && !$0.hasPrefix("file:") }.sorted()
        let liveOutputs = Set(heads.filter { live.contains($0.key) }.compactMap { records[$0.value]?.output })
        let deadOutputs = Set(dead.compactMap { heads[$0].flatMap { records[$0]?.output } }).subtracting(liveOutputs)
        if !dryRun {
            for id in dead {
                try engine.actions.removeHead(of: id)
                try? engine.traces.remove(NodeID(id))
            }
        }
        return (dead, deadOutputs)
    }

    private func dropRecords(producing outputs: Set<Digest>) throws {
        guard !outputs.isEmpty else { return }
        for (key, record) in engine.actions.allRecords where outputs.contains(record.output) {
            try engine.actions.remove(key)
        }
    }
}
