import Foundation

/// What one run of a recipe produced, stored under its key.
public struct ActionRecord: Codable, Equatable, Sendable {
    public var output: Digest
    public var size: Int
    public var seconds: Double
    /// The node kind that made it, for `cache stats`.
    public var kind: String
    /// Unix seconds of the last build that made or reused it: the cache's own recency, for
    /// `cache gc` (atime is unreliable: noatime mounts, backups, `cat`).
    public var lastUsed: Int64

    public init(output: Digest, size: Int, seconds: Double, kind: String, lastUsed: Int64 = ActionRecord.now()) {
        self.output = output
        self.size = size
        self.seconds = seconds
        self.kind = kind
        self.lastUsed = lastUsed
    }

    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// Maps action keys to the outputs they produced, and each node id to the key it was last
/// built or reused with (its "head", which says whether its trace is current).
///
/// Like ninja's build log, it is one append-only file read once per build, so a no-op build
/// of 100,000 nodes costs one read instead of 100,000 opens. Each record is one short line
/// written with a single `write(2)` on an `O_APPEND` descriptor, which is atomic between
/// processes; a line cut short by a crash is ignored when read back. The file is compacted
/// (re-read, rewritten and renamed into place) when most of it is superseded, only while the
/// cache lock is held exclusively.
///
/// The first line is the format, `ntsbuild-actions 1`. A log without it (written before the
/// header existed) or with another version is not read: the cache starts empty and the log is
/// rewritten with the header before the first line is appended, with one warning.
/// Lines: `a key output size microseconds kind time .` (a record), `u key time .` (used again),
/// `h node key .` (head), `x key .` (record dropped: its object was corrupt or collected).
public final class ActionCache: @unchecked Sendable {
    public let path: String
    private let fs: FileSystem
    private let lock = NSLock()
    private var records: [Digest: ActionRecord] = [:]
    private var heads: [String: Digest] = [:]
    private var lines = 0
    private var log: (any AppendingFile)?
    /// The log on disk is not in this format (missing header, another version, garbage): it is
    /// replaced before anything is appended to it.
    private var needsRewrite = false
    /// The last append may have left part of a line behind (a full disk, an I/O error): the
    /// next one starts a fresh line, so that its own line is not glued to the fragment.
    private var mayEndMidLine = false
    /// The log was empty when opened: the next line goes after a header.
    private var logIsEmpty = false
    /// Why the log on disk was not read, if it was not; the engine reports it once.
    public private(set) var formatWarning: String?
    static let header = "ntsbuild-actions 1"
    /// Recency is refreshed at most this often per record, so no-op builds append nothing.
    static let recencyResolution: Int64 = 3600

    public init(path: String, fs: FileSystem) {
        self.path = path
        self.fs = fs
        load()
    }

    private func load() {
        records = [:]
        heads = [:]
        lines = 0
        needsRewrite = false
        guard let data = try? fs.read(path), !data.isEmpty else { return }
        mayEndMidLine = data.last != 0x0A
        guard let problem = LogFormat.problem(data, header: Self.header) else { return parse(data) }
        needsRewrite = true
        formatWarning = "\(path): \(problem); its records are ignored (outputs are rebuilt as needed) and it is rewritten"
    }

    /// Reads the lines after the header into `records` and `heads`.
    private func parse(_ data: Data) {
        records.reserveCapacity(data.count / 160)
        heads.reserveCapacity(data.count / 160)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Byte-level parsing (no per-field Strings or arrays): this runs once per build over
            // two lines per node, and was a tenth of a no-op build's time.
            var fields: [Range<Int>] = []
            fields.reserveCapacity(8)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                lines += 1
                fields.removeAll(keepingCapacity: true)
                var fieldStart = start
                for i in start...end where i == end || bytes[i] == 0x09 {
                    fields.append(fieldStart..<i)
                    fieldStart = i + 1
                }
                // Every complete line ends in a "." field: a line cut short by a crash, or
                // garbage, is ignored.
                guard let last = fields.last, last.count == 1, bytes[last.lowerBound] == 0x2E,
                      fields[0].count == 1 else { continue }
                func slice(_ n: Int) -> Slice<UnsafeBufferPointer<UInt8>> { bytes[fields[n]] }
                func integer(_ n: Int) -> Int64? {
                    var value: Int64 = 0
                    var negative = false
                    for (i, byte) in slice(n).enumerated() {
                        if i == 0 && byte == 0x2D { negative = true; continue }
                        guard byte >= 0x30 && byte <= 0x39 else { return nil }
                        value = value &* 10 &+ Int64(byte - 0x30)
                    }
                    return fields[n].isEmpty ? nil : (negative ? -value : value)
                }
                switch (bytes[fields[0].lowerBound], fields.count) {
                case (UInt8(ascii: "a"), 8):
                    if let key = Digest(hexBytes: slice(1)), let output = Digest(hexBytes: slice(2)),
                       let size = integer(3), let micros = integer(4), let time = integer(6) {
                        records[key] = ActionRecord(output: output, size: Int(size), seconds: Double(micros) / 1e6,
                                                    kind: String(decoding: slice(5), as: UTF8.self), lastUsed: time)
                    }
                case (UInt8(ascii: "u"), 4):
                    if let key = Digest(hexBytes: slice(1)), let time = integer(2) { records[key]?.lastUsed = time }
                case (UInt8(ascii: "h"), 4):
                    heads[String(decoding: slice(1), as: UTF8.self)] = Digest(hexBytes: slice(2))  // "-": removed
                case (UInt8(ascii: "x"), 3):
                    if let key = Digest(hexBytes: slice(1)) { records[key] = nil }
                default:
                    continue
                }
            }
        }
    }

    private static func line(_ key: Digest, _ r: ActionRecord) -> String {
        "a\t\(key.hex)\t\(r.output.hex)\t\(r.size)\t\(Int64((r.seconds * 1e6).rounded()))\t\(r.kind)\t\(r.lastUsed)\t.\n"
    }

    public func lookup(_ key: Digest) -> ActionRecord? {
        lock.lock()
        defer { lock.unlock() }
        return records[key]
    }

    public func head(of id: NodeID) -> Digest? {
        lock.lock()
        defer { lock.unlock() }
        return heads[id.raw]
    }

    public var allRecords: [Digest: ActionRecord] {
        lock.lock()
        defer { lock.unlock() }
        return records
    }

    public var allHeads: [String: Digest] {
        lock.lock()
        defer { lock.unlock() }
        return heads
    }

    public func record(_ record: ActionRecord, for key: Digest) throws {
        try change(Self.line(key, record)) { records[key] = record }
    }

    /// Notes that a build reused the record (appends only when the last note is old).
    public func markUsed(_ key: Digest) throws {
        let now = ActionRecord.now()
        lock.lock()
        guard let last = records[key]?.lastUsed, now - last >= Self.recencyResolution else {
            lock.unlock()
            return
        }
        records[key]?.lastUsed = now
        lock.unlock()
        try append("u\t\(key.hex)\t\(now)\t.\n")
    }

    /// Drops a node's head (`clean --dead`: the node left the graph).
    public func removeHead(of id: String) throws {
        try change("h\t\(id)\t-\t.\n") { heads[id] = nil }
    }

    public func setHead(_ key: Digest, for id: NodeID) throws {
        try change("h\t\(id.raw)\t\(key.hex)\t.\n") { heads[id.raw] = key }
    }

    public func remove(_ key: Digest) throws {
        try change("x\t\(key.hex)\t.\n") { records[key] = nil }
    }

    /// Applies a change in memory, then logs the line that replays it.
    private func change(_ line: String, _ apply: () -> Void) throws {
        lock.lock()
        apply()
        lock.unlock()
        try append(line)
    }

    private func append(_ line: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if needsRewrite {
            try rewrite()
        }
        if log == nil {
            log = try fs.openForAppending(path)
            logIsEmpty = (fs.status(path)?.size ?? 0) == 0
        }
        // A new log starts with its header, in the same write as its first line. Two processes
        // creating it at once may both write one; a later header line is ignored like any
        // other line that is not a record.
        let startsLog = logIsEmpty
        let text = startsLog ? Self.header + "\n" + line : mayEndMidLine ? "\n" + line : line
        do {
            try log!.append(Data(text.utf8))
        } catch {
            mayEndMidLine = true
            // Part of a header would make the whole log unreadable: write it whole next time.
            if startsLog { needsRewrite = true }
            throw error
        }
        mayEndMidLine = false
        logIsEmpty = false
        lines += 1
    }

    /// Replaces the log on disk with the header and what is in memory. Called with `lock` held.
    private func rewrite() throws {
        log = nil
        var text = Self.header + "\n"
        for (key, r) in records.sorted(by: { $0.key < $1.key }) { text += Self.line(key, r) }
        for (id, key) in heads.sorted(by: { $0.key < $1.key }) { text += "h\t\(id)\t\(key.hex)\t.\n" }
        try fs.writeAtomically(Data(text.utf8), to: path)
        lines = records.count + heads.count
        needsRewrite = false
        mayEndMidLine = false
    }

    /// Rewrites the log with only live records when it has grown to several times their number.
    /// The caller must hold the cache lock exclusively: the log is re-read first, so nothing
    /// another process appended before is lost.
    public func compactIfNeeded() throws {
        lock.lock()
        let worthIt = lines > 1000 && lines > 3 * (records.count + heads.count)
        lock.unlock()
        if worthIt { try compact() }
    }

    public func compact() throws {
        lock.lock()
        defer { lock.unlock() }
        log = nil
        load()
        try rewrite()
    }
}
