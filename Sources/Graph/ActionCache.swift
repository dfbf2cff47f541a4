import Foundation

/// What one run of a recipe produced, stored under its key.
public struct ActionRecord: Codable, Equatable, Sendable {
    public var output: Digest
    public var size: Int
    public var seconds: Double
}

/// Maps action keys to the outputs they produced, and each node id to the key it was last
/// built or reused with (its "head", which says whether its trace is current).
///
/// Like ninja's build log, it is one append-only file read once per build, so a no-op build
/// of 100,000 nodes costs one read instead of 100,000 opens. Each record is one short line
/// written with a single `write(2)` on an `O_APPEND` descriptor, which is atomic between
/// processes; a line cut short by a crash is ignored when read back. The file is compacted
/// (rewritten and renamed into place) when most of it is superseded.
public final class ActionCache: @unchecked Sendable {
    public let path: String
    private let fs: FileSystem
    private let lock = NSLock()
    private var records: [Digest: ActionRecord] = [:]
    private var heads: [String: Digest] = [:]
    private var lines = 0
    private var descriptor: Int32 = -1

    public init(path: String, fs: FileSystem) {
        self.path = path
        self.fs = fs
        load()
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    private func load() {
        guard let data = try? fs.read(path) else { return }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let tab = UInt8(ascii: "\t")
            for line in raw.split(separator: UInt8(ascii: "\n")) {
                lines += 1
                let fields = line.split(separator: tab, omittingEmptySubsequences: false)
                // Every complete line ends in a "." field: a line cut short by a crash, or
                // garbage, is ignored.
                guard let tag = fields.first?.first, fields.last?.elementsEqual([UInt8(ascii: ".")]) == true else { continue }
                switch (tag, fields.count) {
                case (UInt8(ascii: "a"), 6):
                    if let key = Digest(hexBytes: fields[1]), let output = Digest(hexBytes: fields[2]),
                       let size = Int(String(decoding: fields[3], as: UTF8.self)), let seconds = Double(String(decoding: fields[4], as: UTF8.self)) {
                        records[key] = ActionRecord(output: output, size: size, seconds: seconds)
                    }
                case (UInt8(ascii: "h"), 4):
                    if let key = Digest(hexBytes: fields[2]) { heads[String(decoding: fields[1], as: UTF8.self)] = key }
                case (UInt8(ascii: "x"), 3):
                    if let key = Digest(hexBytes: fields[1]) { records[key] = nil }
                default:
                    continue
                }
            }
        }
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
        lock.lock()
        records[key] = record
        lock.unlock()
        try append("a\t\(key.hex)\t\(record.output.hex)\t\(record.size)\t\(record.seconds)\t.\n")
    }

    public func setHead(_ key: Digest, for id: NodeID) throws {
        lock.lock()
        heads[id.raw] = key
        lock.unlock()
        try append("h\t\(id.raw)\t\(key.hex)\t.\n")
    }

    public func remove(_ key: Digest) throws {
        lock.lock()
        records[key] = nil
        lock.unlock()
        try append("x\t\(key.hex)\t.\n")
    }

    private func append(_ line: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if descriptor < 0 {
            try fs.makeDirectory((path as NSString).deletingLastPathComponent)
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw GraphError.io(path: path, reason: String(cString: strerror(errno))) }
        }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw GraphError.io(path: path, reason: "short write (disk full?)") }
        lines += 1
    }

    /// Rewrites the log with only live records when it has grown to several times their number.
    /// Another process appending meanwhile may lose its lines; they only cost a rebuild.
    public func compactIfNeeded() throws {
        lock.lock()
        let live = records.count + heads.count
        guard lines > 1000 && lines > 3 * live else {
            lock.unlock()
            return
        }
        var text = ""
        for (key, r) in records.sorted(by: { $0.key < $1.key }) { text += "a\t\(key.hex)\t\(r.output.hex)\t\(r.size)\t\(r.seconds)\t.\n" }
        for (id, key) in heads.sorted(by: { $0.key < $1.key }) { text += "h\t\(id)\t\(key.hex)\t.\n" }
        lines = live
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        lock.unlock()
        try fs.writeAtomically(Data(text.utf8), to: path)
    }
}
