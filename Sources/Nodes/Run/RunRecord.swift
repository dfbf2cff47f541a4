import Crypto
import Foundation
import Graph

/// `renders/<run-id>/`: the final outputs of a build (copies of store objects, checked as they
/// are copied), and `run.json` with the resolved config, every node's key, output and timing,
/// and the SHA-256 of each output, so a render can be audited and reproduced.
/// `renders/latest` points at the newest run.
public struct RunRecord {
    public struct Output: Codable {
        var file: String
        var node: String
        var sha256: String
        var bytes: Int
    }
    struct NodeEntry: Codable {
        var id: String
        var status: String
        var key: String?
        var output: String?
        var seconds: Double
        var reasons: [String]?
    }
    struct Document: Codable {
        var tool: [String: String]
        var runId: String
        var started: String
        var wallSeconds: Double
        var jobs: Int
        var buildfile: String
        var targets: [String]
        var album: [String: String]
        /// The album cut's resolved settings (the per-track config is in `tracks`).
        var cut: CutConfig
        var tracks: [String: TrackConfig]
        var nodes: [NodeEntry]
        var outputs: [Output]
        var machine: [String: String]
    }

    public static let toolVersion = "0.1.0"

    /// Writes the record and returns the run folder. The folder appears whole or not at all, and
    /// `renders/latest` moves only once it is there: a failed publish leaves the last good run.
    @discardableResult
    public static func write(project: Project, targets: [String], result: BuildResult, engine: Engine, jobs: Int,
                             started: Date, rendersDirectory: String) throws -> String {
        let fm = FileManager.default
        let stamp = ISO8601DateFormatter.string(from: started, timeZone: .init(identifier: "UTC")!, formatOptions: [.withFullDate, .withTime, .withDashSeparatorInDate])
        try fm.createDirectory(atPath: rendersDirectory, withIntermediateDirectories: true)
        // mkdir(2) claims the name atomically: two processes finishing in the same second get
        // different folders.
        var runID = "run-" + stamp
        var suffix = 1
        while mkdir(rendersDirectory + "/" + runID, 0o755) != 0 {
            guard errno == EEXIST else { throw GraphError.io(path: rendersDirectory + "/" + runID, reason: String(cString: strerror(errno))) }
            suffix += 1
            runID = "run-\(stamp)-\(suffix)"
        }
        let claimed = rendersDirectory + "/" + runID
        // Filled under a hidden name, then renamed over the claimed (still empty) folder; rename(2)
        // replaces an empty directory atomically. On failure both go, so nothing half-filled stays.
        let folder = rendersDirectory + "/.partial-" + runID + "-" + UUID().uuidString
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: false)
            try fill(folder, runID: runID, project: project, targets: targets, result: result, engine: engine, jobs: jobs, started: started)
            try LocalFileSystem().moveIntoPlace(folder, to: claimed)
        } catch {
            try? fm.removeItem(atPath: folder)
            rmdir(claimed)
            // Foundation's errors span lines and name the store's objects; one line is enough.
            throw error as? GraphError ?? GraphError.io(path: claimed, reason: "not published (\((error as NSError).localizedDescription))")
        }

        // Repoint renders/latest atomically: a new symlink renamed over the old one.
        let temp = rendersDirectory + "/.latest-\(UUID().uuidString)"
        try fm.createSymbolicLink(atPath: temp, withDestinationPath: runID)
        try LocalFileSystem().moveIntoPlace(temp, to: rendersDirectory + "/latest")
        return claimed
    }

    /// The outputs (checked copies of the store's objects), run.json and index.html of a run.
    private static func fill(_ folder: String, runID: String, project: Project, targets: [String], result: BuildResult, engine: Engine,
                             jobs: Int, started: Date) throws {
        var outputs: [Output] = []
        for node in result.nodes where node.status == .built || node.status == .reused || node.status == .fetched {
            guard let digest = node.output, let name = fileName(of: node.id) else { continue }
            // A copy, never a hard link (an edit of the published file would reach the object),
            // checked against the digest while copied; run.json's SHA-256 is of those same bytes.
            var hasher = SHA256()
            let bytes = try engine.store.export(digest, to: folder + "/" + name) { hasher.update(bufferPointer: $0) }
            outputs.append(Output(file: name, node: node.id.raw, sha256: hex(hasher.finalize()), bytes: bytes))
        }
        outputs.sort { $0.file < $1.file }

        let doc = Document(
            tool: ["name": "ntsbuild", "version": toolVersion],
            runId: runID,
            started: ISO8601DateFormatter().string(from: started),
            wallSeconds: result.wallSeconds,
            jobs: jobs,
            buildfile: (project.buildfile as NSString).lastPathComponent,
            targets: targets,
            album: albumFields(project),
            cut: project.cut,
            tracks: Dictionary(uniqueKeysWithValues: project.tracks.map { ($0.id, $0.config) }),
            nodes: result.nodes.map {
                NodeEntry(id: $0.id.raw, status: $0.status.rawValue, key: $0.key?.hex, output: $0.output?.hex,
                          seconds: $0.seconds, reasons: $0.reasons.isEmpty ? nil : $0.reasons.map(\.description))
            },
            outputs: outputs,
            machine: MachineInfo.current())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try LocalFileSystem().writeAtomically(try encoder.encode(doc), to: folder + "/run.json")
        let page = gallery(folder: folder, rendersDirectory: (folder as NSString).deletingLastPathComponent, project: project, doc: doc,
                           result: result, store: engine.store)
        try LocalFileSystem().writeAtomically(Data(page.html().utf8), to: folder + "/index.html")
    }

    /// The run-folder name of a node's output, for the nodes whose outputs people use.
    public static func fileName(of id: NodeID) -> String? {
        switch id.albumNode {
        case .album: return "album.mp4"
        case .track(let track): return track + ".mp4"
        case .clip(let track, let first, let end): return "\(track)-clip-\(first)-\(end).mp4"
        case .preview(let track, let part): return part.fileName(track: track)
        case .style(let name): return "style-\(name).safetensors"
        default: return nil
        }
    }

    public static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw GraphError.io(path: path, reason: "cannot read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// SHA-256 and the content digest (XXH3-128) of a file, in one read.
    static func hashes(of path: String) throws -> (sha256: String, digest: Graph.Digest) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw GraphError.io(path: path, reason: "cannot read") }
        defer { try? handle.close() }
        var sha = SHA256()
        let xxh = Hasher128()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            sha.update(data: chunk)
            xxh.update(chunk)
        }
        return (hex(sha.finalize()), xxh.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}

