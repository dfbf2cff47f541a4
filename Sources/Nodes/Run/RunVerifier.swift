import Foundation
import Graph

/// `ntsbuild verify`: checks a run folder against its `run.json` — every listed output re-hashed
/// with SHA-256, then a deterministic sample of frame shards re-rendered from the recorded rows
/// objects and compared byte for byte (by digest) with the recorded shard outputs. Re-rendering
/// runs the real `FramesRecipe` through a throwaway engine, so nothing in the project's cache
/// is read as a shortcut or changed.
public struct RunVerifier {
    public let folder: String
    public let projectRoot: String
    let record: Recorded
    /// Each track's resolved config as recorded, over today's defaults: a run recorded before a
    /// key existed still verifies (the key then had its default behaviour).
    let tracks: [String: TrackConfig]

    struct Recorded: Decodable {
        var runId: String
        var nodes: [RunRecord.NodeEntry]
        var outputs: [RunRecord.Output]
    }

    /// `runFolder` may be `renders/latest` (a symlink); the project is the folder above `renders/`.
    public init(runFolder: String) throws {
        let resolved = URL(fileURLWithPath: runFolder).resolvingSymlinksInPath().path
        let json = resolved + "/run.json"
        guard FileManager.default.fileExists(atPath: json) else { throw VerifyError.noRecord(path: json) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: json))
            record = try decoder.decode(Recorded.self, from: data)
            let tree = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            tracks = try (tree["tracks"] as? [String: Any] ?? [:]).mapValues { try RunVerifier.config(recorded: $0) }
        } catch {
            throw VerifyError.unreadable(path: json, reason: String(describing: error))
        }
        folder = resolved
        projectRoot = ((resolved as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
    }

    public var runID: String { record.runId }
    public var outputCount: Int { record.outputs.count }

    /// Re-hashes every output; throws naming the first file that is missing or differs. Each file
    /// is checked twice over: its SHA-256 against the one run.json lists for it, and its content
    /// digest against the output its node recorded. The second check does not trust the first:
    /// a SHA-256 taken of a file that was already damaged when it was published matches forever.
    public func verifyOutputs() throws {
        for output in record.outputs {
            let path = folder + "/" + output.file
            guard FileManager.default.fileExists(atPath: path) else { throw VerifyError.missing(file: path) }
            let (sha256, digest) = try RunRecord.hashes(of: path)
            guard sha256 == output.sha256 else { throw VerifyError.differs(file: path, recorded: output.sha256, actual: sha256) }
            let made = record.nodes.first { $0.id == output.node }?.output.flatMap { Digest(hex: $0) }
            guard let made else {
                throw VerifyError.unreadable(path: folder + "/run.json", reason: "it lists \(output.file) but no output of its node \(output.node)")
            }
            guard digest == made else { throw VerifyError.notNodeOutput(file: path, node: output.node, recorded: made.hex, actual: digest.hex) }
        }
    }

    /// `count` shard nodes of the run, chosen by the run id (the same run always checks the same
    /// shards; different runs spread over the timeline).
    public func sampleShards(count: Int) -> [String] {
        var pool = record.nodes.filter { $0.output != nil && Self.isShard(NodeID($0.id)) }.map(\.id).sorted()
        var picked: [String] = []
        var seed = Digest.of(record.runId).low
        while picked.count < count && !pool.isEmpty {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            picked.append(pool.remove(at: Int((seed >> 33) % UInt64(pool.count))))
        }
        return picked.sorted()
    }

    static func isShard(_ id: NodeID) -> Bool {
        if case .frames? = id.albumNode { return true } else { return false }
    }

    /// Re-renders one recorded shard and returns its digest; throws if it differs from the record.
    @discardableResult
    public func verifyShard(_ node: String) throws -> Digest {
        guard case .frames(let trackID, let k)? = NodeID(node).albumNode, let entry = record.nodes.first(where: { $0.id == node }),
              let recordedHex = entry.output, let recorded = Digest(hex: recordedHex) else {
            throw VerifyError.cannotReproduce(node: node, reason: "not a shard with an output in run.json")
        }
        let rowsID = NodeID.rows(track: trackID, shard: k)
        guard let config = tracks[trackID] else {
            throw VerifyError.cannotReproduce(node: node, reason: "run.json has no config for track \(trackID)")
        }
        guard let rowsHex = record.nodes.first(where: { $0.id == rowsID.raw })?.output, let rowsDigest = Digest(hex: rowsHex) else {
            throw VerifyError.cannotReproduce(node: node, reason: "run.json has no output for \(rowsID)")
        }
        let cache = Engine(projectRoot: projectRoot, cacheDirectory: projectRoot + "/cache")
        let rowsPath = cache.store.path(of: rowsDigest)
        guard FileManager.default.fileExists(atPath: rowsPath) else {
            throw VerifyError.cannotReproduce(node: node, reason: "its rows object \(rowsPath) is no longer in the cache")
        }
        let rows = try Safetensors.read(path: rowsPath).tensor("latent", in: rowsPath).shape[0]
        let track = TrackSpec(id: trackID, number: 0, title: trackID, audio: "", trimStart: 0, trimEnd: nil, config: config)
        var graph = BuildGraph()
        graph.add(StoredObject(id: rowsID, path: rowsPath))
        graph.add(FramesRecipe(track: track, shard: k, range: 0..<rows, rows: rowsID,
                               generatorFiles: GeneratorSources(config: config.generator).nodes))

        let scratch = NSTemporaryDirectory() + "ntsbuild-verify-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let engine = Engine(projectRoot: projectRoot, cacheDirectory: scratch)
        let result = try engine.build(graph, targets: [NodeID(node)], options: BuildOptions(jobs: 1))
        if let failure = result.failures.first {
            // Worded as a build words it (a missing source by its path alone).
            throw VerifyError.cannotReproduce(node: node, reason: GraphError.nodeFailed(failure.id, message: failure.message ?? "failed").description)
        }
        guard let fresh = result.result(for: NodeID(node)), let output = fresh.output else {
            throw VerifyError.cannotReproduce(node: node, reason: "the re-render produced no output")
        }
        // Same key = same recipe version, params and rows: only then must the bytes agree.
        if let key = entry.key, fresh.key?.hex != key {
            throw VerifyError.cannotReproduce(node: node, reason: "its key differs from run.json (recorded \(key.prefix(8))…, now \(fresh.key?.hex.prefix(8) ?? "none")…): the tool version or a weights file changed")
        }
        guard output == recorded else {
            throw VerifyError.shardDiffers(node: node, object: cache.store.path(of: recorded), recorded: recorded.hex, actual: output.hex)
        }
        return output
    }
}

extension RunVerifier {
    static func config(recorded: Any) throws -> TrackConfig {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var tree = try JSONSerialization.jsonObject(with: encoder.encode(TrackConfig())) as! [String: Any]
        for (name, values) in recorded as? [String: Any] ?? [:] {
            guard var section = tree[name] as? [String: Any], let values = values as? [String: Any] else { continue }
            // Optional paths are left out of run.json when null, so absent means null, not default.
            for (key, type) in ConfigSchema.types where type == .optionalPath && key.hasPrefix(name + ".") {
                section[String(key.dropFirst(name.count + 1))] = NSNull()
            }
            section.merge(values) { _, recorded in recorded }
            tree[name] = section
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TrackConfig.self, from: JSONSerialization.data(withJSONObject: tree))
    }
}

/// A node whose output is an existing file, copied as is (the engine moves outputs into its store).
struct StoredObject: Recipe {
    static let kind = "stored"
    static let version = 1
    let id: NodeID
    let path: String
    var params: [String: String] { [:] }
    var inputs: [NodeID] { [] }

    func make(_ context: BuildContext) throws -> String {
        let copy = context.temporaryPath()
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        return copy
    }
}

public enum VerifyError: Error, CustomStringConvertible {
    case noRecord(path: String)
    case unreadable(path: String, reason: String)
    case missing(file: String)
    case differs(file: String, recorded: String, actual: String)
    case notNodeOutput(file: String, node: String, recorded: String, actual: String)
    case shardDiffers(node: String, object: String, recorded: String, actual: String)
    case cannotReproduce(node: String, reason: String)

    public var description: String {
        switch self {
        case .noRecord(let path): return "\(path): not found (not a run folder?)"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .missing(let file): return "\(file): missing (listed in run.json)"
        case .differs(let file, let recorded, let actual):
            return "\(file): SHA-256 \(actual.prefix(12))… differs from run.json's \(recorded.prefix(12))…"
        case .notNodeOutput(let file, let node, let recorded, let actual):
            return "\(file): content \(actual.prefix(12))… is not the output of \(node) that run.json records (\(recorded.prefix(12))…)"
        case .shardDiffers(let node, let object, let recorded, let actual):
            return "\(object): \(node) re-rendered to \(actual.prefix(12))…, run.json records \(recorded.prefix(12))…"
        case .cannotReproduce(let node, let reason): return "\(node): cannot re-render: \(reason)"
        }
    }
}
