import Foundation
import Graph
@testable import Nodes
import XCTest

/// The property that makes a shared cache safe: a node's key covers everything its `make` reads.
///
/// For every key of the config schema in turn, the value is changed on a tiny project. Every node
/// whose kind, code versions, params and input ids stay the same must then make the same bytes
/// from the baseline's input files; if it does not, `make` reads a value its key does not hold,
/// and a cache — a shared one above all — would hand out an output made for another
/// configuration. A node whose key part changed but whose bytes did not is reported: an
/// over-broad key costs rebuilds, not correctness.
///
/// The check holds each node's inputs at the baseline's bytes, so a value that reaches a node only
/// through an input (the grain seed through the trajectory, say) is still caught when the node
/// reads it directly without declaring it.
final class KeySoundnessTests: XCTestCase {
    func testEveryConfigValueANodeReadsIsInItsKey() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let baseline = try project.build()

        var violations: [String] = [], overBroad: [String] = [], skipped: [String] = []
        var checked = 0
        for (key, type) in ConfigSchema.types.sorted(by: { $0.key < $1.key }) {
            guard let (sets, graph) = project.firstLoadable(key: key, type: type) else {
                skipped.append(key)
                continue
            }
            checked += 1
            let rebuilt = try project.engine.build(graph, targets: baseline.result.nodes.map(\.id).filter { graph.recipes[$0] != nil }, options: BuildOptions(jobs: 2))
            let report = try SoundnessCheck.compare(baseline: baseline, changed: graph, rebuilt: rebuilt,
                                                    projectRoot: project.root, scratch: project.root + "/scratch")
            violations += report.violations.map { "\(sets.joined(separator: " ")): \($0)" }
            overBroad += report.overBroad.map { "\(sets.joined(separator: " ")): \($0)" }
        }
        print("key soundness: \(checked) keys changed; over-broad (key changed, bytes did not):\n  " + overBroad.joined(separator: "\n  "))
        XCTAssertEqual(violations, [], "nodes that made different bytes under an unchanged key")
        XCTAssertEqual(skipped, [], "every key of the schema can be changed on the test project")
        XCTAssertEqual(checked, ConfigSchema.types.count)
    }

    /// The check itself catches an undeclared read: a recipe that reads a seed it keeps outside
    /// its params makes different bytes under the same key.
    func testTheCheckCatchesAValueReadOutsideTheParams() throws {
        struct LeakyRecipe: Recipe {
            static let kind = "leaky"
            static let version = 1
            let id: NodeID = "leaky"
            let params: [String: String] = [:]
            let seed: Int
            var inputs: [NodeID] { [] }
            func make(_ context: BuildContext) throws -> String {
                let path = context.temporaryPath()
                try Data("grain \(seed)".utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
        }
        let root = NSTemporaryDirectory() + "ntsbuild-leaky-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        var graph = BuildGraph()
        graph.add(LeakyRecipe(seed: 42))
        let engine = Engine(projectRoot: root, cacheDirectory: root + "/cache")
        let result = try engine.build(graph, targets: ["leaky"], options: BuildOptions(jobs: 1))
        let baseline = SoundnessCheck.Baseline(graph: graph, result: result, store: engine.store)
        var changed = BuildGraph()
        changed.add(LeakyRecipe(seed: 7))
        let report = try SoundnessCheck.compare(baseline: baseline, changed: changed, projectRoot: root, scratch: root + "/scratch")
        XCTAssertEqual(report.violations.count, 1, "\(report)")
        XCTAssertTrue(report.violations.first?.hasPrefix("leaky:") ?? false)
    }
}

/// Compares a changed configuration's graph with a built baseline, node by node.
enum SoundnessCheck {
    struct Baseline {
        let graph: BuildGraph
        let result: BuildResult
        let store: ContentStore
    }

    struct Report: CustomStringConvertible {
        var violations: [String] = []
        var overBroad: [String] = []
        var description: String { "violations: \(violations), over-broad: \(overBroad)" }
    }

    /// Violations: nodes whose key part is unchanged but whose recipe value differs are made again
    /// from the baseline's input files, and must make the baseline's bytes. Over-broad keys:
    /// nodes that `rebuilt` (the changed configuration built in the same cache) from the
    /// baseline's input bytes, with a changed key part, into the baseline's bytes.
    static func compare(baseline: Baseline, changed: BuildGraph, rebuilt: BuildResult? = nil,
                        projectRoot: String, scratch: String) throws -> Report {
        var report = Report()
        for built in baseline.result.nodes {
            guard let output = built.output, let old = baseline.graph.recipes[built.id], let new = changed.recipes[built.id] else { continue }
            let sameKey = try keyPart(old) == keyPart(new)
            if sameKey {
                // The very same recipe value: `make` sees nothing different, so it makes the same bytes.
                if String(reflecting: old) == String(reflecting: new) { continue }
                guard let inputs = inputFiles(of: new, baseline: baseline, projectRoot: projectRoot) else { continue }
                let made = try IsolatedMake.digest(of: new, inputs: inputs, projectRoot: projectRoot, scratch: scratch)
                if made != output {
                    report.violations.append("\(built.id): made \(made.short), the baseline made \(output.short), under the same key")
                }
            } else if let now = rebuilt?.result(for: built.id), now.status == .built, now.output == output,
                      new.inputs.allSatisfy({ $0.isFile || rebuilt?.result(for: $0)?.output == baseline.result.result(for: $0)?.output }) {
                report.overBroad.append("\(built.id)")
            }
        }
        return report
    }

    /// Everything of a node's key but its inputs' bytes: kind, code versions, params, input ids.
    static func keyPart(_ recipe: any Recipe) throws -> String {
        let type = type(of: recipe)
        let params = try CanonicalParams.flatten(recipe.params).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let code = type.code.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ([type.kind] + code + params + recipe.inputs.map(\.raw)).joined(separator: "\n")
    }

    /// The baseline's files for the node's inputs, or nil if the baseline did not build one of them.
    static func inputFiles(of recipe: any Recipe, baseline: Baseline, projectRoot: String) -> [NodeID: String]? {
        var files: [NodeID: String] = [:]
        for input in recipe.inputs {
            if let path = input.filePath {
                files[input] = projectRoot + "/" + path
            } else {
                guard let output = baseline.result.result(for: input)?.output else { return nil }
                files[input] = baseline.store.path(of: output)
            }
        }
        return files
    }
}

/// One short track with every kind of node (a crossfaded album of two tracks, previews, trails
/// and grain on), at a size that builds in seconds, and the files the path keys can point at.
struct TinyProject {
    let root = NSTemporaryDirectory() + "ntsbuild-soundness-" + UUID().uuidString
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    init() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fixtures = Self.repository + "/Tests/NodesTests/Fixtures/"
        try fm.copyItem(atPath: fixtures + "excerpt-22k.flac", toPath: root + "/audio.flac")
        try fm.copyItem(atPath: fixtures + "conv-tiny.safetensors", toPath: root + "/conv.safetensors")
        try fm.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.repository + "/models/meta.json", toPath: root + "/models/meta.json")
        try fm.copyItem(atPath: Self.repository + "/styles/espresso.safetensors", toPath: root + "/weights.safetensors")
        try fm.copyItem(atPath: Self.repository + "/styles/references/fur.png", toPath: root + "/reference.png")
        try """
        album:
          title: Sound Keys
          artist: tester
          tracks:
            - {id: one, title: One, audio: audio.flac, trim: {start: 1, end: 3}}
            - {id: two, title: Two, audio: audio.flac, trim: {start: 5, end: 7}, set: {controller.wander_seed: 7}}
          cut: {crossfade: 0.25, chapters: true}
        output: {width: 64, height: 36, fps: 8}
        shards: {frames: 6}
        postfx: {trails: true, grain: 0.2}
        styles:
          - {name: tiny, reference: reference.png, steps: 1, size: 16, hidden: 4, layers: 1}
        """.write(toFile: root + "/Buildfile.yaml", atomically: true, encoding: .utf8)
    }

    var engine: Engine { Engine(projectRoot: root, cacheDirectory: root + "/cache") }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func load(_ sets: [String] = []) throws -> BuildGraph {
        try AlbumGraph(project: BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: Overrides(sets: sets))).graph
    }

    func build() throws -> SoundnessCheck.Baseline {
        let graph = try load()
        let targets = graph.recipes.keys.sorted()
        let result = try engine.build(graph, targets: targets, options: BuildOptions(jobs: 2))
        XCTAssertEqual(result.failures.map(\.id), [])
        return SoundnessCheck.Baseline(graph: graph, result: result, store: engine.store)
    }

    /// The first change of `key` (with what it needs beside it) that gives a valid project.
    func firstLoadable(key: String, type: ValueType) -> (sets: [String], graph: BuildGraph)? {
        for sets in changes(of: key, type: type) {
            if let graph = try? load(sets) { return (sets, graph) }
        }
        return nil
    }

    /// Candidate changes of a key from its value in the test project (track `one`'s).
    func changes(of key: String, type: ValueType) -> [[String]] {
        let current = Self.currentValue(key, in: (try? BuildfileLoader.load(path: root + "/Buildfile.yaml").tracks[0].config) ?? TrackConfig())
        let values: [String]
        switch type {
        case .int(let range):
            let c = (current as? NSNumber)?.intValue ?? 0
            values = [c * 2, c + 2, c + 1, c - 1].filter { range.contains($0) && $0 != c }.map(String.init)
        case .float(let range):
            let c = (current as? NSNumber)?.doubleValue ?? 0
            values = (c == 0 ? [min(range.upperBound, 0.5), range.upperBound] : [c * 1.5, c / 2])
                .filter { range.contains($0) && $0 != c }.map { String($0) }
        case .bool:
            values = [String(!(current as? Bool ?? false))]
        case .choice(let options):
            values = options.filter { $0 != current as? String }
        case .string:
            values = ["96k"]
        case .optionalString:
            values = current is String ? ["null"] : ["ember"]
        case .optionalPath:
            let files = ["controller.anchors": "models/meta.json", "generator.weights": "weights.safetensors",
                         "generator.style": "tiny", "look.palette_from": "reference.png"]
            values = current is String ? ["null"] : [files[key] ?? "missing"]
        }
        // The conv generator needs its file in generator.style.
        let companions = key == "generator.kind" ? ["generator.style=conv.safetensors"] : []
        return values.map { ["\(key)=\($0)"] + companions }
    }

    static func currentValue(_ key: String, in config: TrackConfig) -> Any? {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(config),
              let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let parts = key.split(separator: ".").map(String.init)
        return (tree[parts[0]] as? [String: Any])?[parts[1]]
    }
}
