import Foundation
import Graph

extension RunRecord {
    /// The latest run folder when it already records this build: the same targets, config, node
    /// keys and outputs, and its published files still hold the bytes `run.json` lists (re-hashed,
    /// so an edited copy is replaced by a new run). A build that changed nothing then adds no
    /// run folder; nil means publish a new one.
    public static func unchangedLatest(project: Project, targets: [String], result: BuildResult, rendersDirectory: String) -> String? {
        let latest = rendersDirectory + "/latest"
        guard let folder = try? FileManager.default.destinationOfSymbolicLink(atPath: latest),
              let data = FileManager.default.contents(atPath: latest + "/run.json") else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let doc = try? decoder.decode(Document.self, from: data),
              doc.targets == targets, doc.cut == project.cut,
              doc.buildfile == (project.buildfile as NSString).lastPathComponent,
              doc.album == albumFields(project),
              doc.tracks == Dictionary(uniqueKeysWithValues: project.tracks.map { ($0.id, $0.config) }) else { return nil }
        func outcomes(_ nodes: [(String, String?, String?)]) -> [String: [String?]] {
            Dictionary(uniqueKeysWithValues: nodes.map { ($0.0, [$0.1, $0.2]) })
        }
        guard outcomes(doc.nodes.map { ($0.id, $0.key, $0.output) })
                == outcomes(result.nodes.map { ($0.id.raw, $0.key?.hex, $0.output?.hex) }) else { return nil }
        let expected = Set(result.nodes.compactMap { node in node.output.flatMap { _ in fileName(of: node.id) } })
        guard Set(doc.outputs.map(\.file)) == expected else { return nil }
        for output in doc.outputs {
            let path = latest + "/" + output.file
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == output.bytes,
                  (try? sha256(of: path)) == output.sha256 else { return nil }
        }
        return folder.hasPrefix("/") ? folder : rendersDirectory + "/" + folder
    }

    static func albumFields(_ project: Project) -> [String: String] {
        var album = ["title": project.title]
        album["artist"] = project.artist
        return album
    }
}
