import ArgumentParser
import Foundation
import Nodes

/// `ntsbuild init <audio files…>`: writes a Buildfile for them, then loads it to check it.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a Buildfile for some audio files (ids from file names, titles and artist from tags).")

    @Argument(help: "The audio files, in album order.", completion: .file())
    var audio: [String]

    @Option(name: [.customShort("o"), .customLong("output")], help: "The Buildfile to write.")
    var output = "Buildfile.yaml"

    @Flag(help: "Replace an existing Buildfile.")
    var force = false

    func run() throws {
        try reportingErrors {
            guard !audio.isEmpty else { throw UsageError("init: name the audio files of the album") }
            for path in audio where !FileManager.default.fileExists(atPath: path) {
                throw MissingFileError(file: path, what: "audio file")
            }
            if FileManager.default.fileExists(atPath: output) && !force {
                throw UsageError("init: \(output) exists (--force replaces it)")
            }
            let root = URL(fileURLWithPath: output).standardizedFileURL.deletingLastPathComponent().path
            let draft = BuildfileDraft(audio: audio, root: root)
            try draft.yaml.write(toFile: output, atomically: true, encoding: .utf8)
            _ = try BuildfileLoader.load(path: output)
            FileHandle.standardError.write(Data("ntsbuild: wrote \(output) with \(draft.tracks.count) track\(draft.tracks.count == 1 ? "" : "s"): \(draft.tracks.map(\.id).joined(separator: ", "))\n".utf8))
        }
    }
}
