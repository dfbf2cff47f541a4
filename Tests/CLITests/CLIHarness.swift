import Foundation
import XCTest

/// Runs the `ntsbuild` binary on throwaway projects and inspects what it wrote.
enum CLI {
    /// The release binary from `make test` (NTSBUILD_BIN), else the debug one beside the tests.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["NTSBUILD_BIN"] { return path }
        let testBundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [testBundle.appendingPathComponent("ntsbuild").path, FileManager.default.currentDirectoryPath + "/.build/debug/ntsbuild"]
            where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return ".build/debug/ntsbuild"
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Nodes by event kind, from the `--json` stream.
        func nodes(_ event: String) -> [String] {
            stdout.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["event"] as? String == event else { return nil }
                return object["node"] as? String
            }
        }
        var lastErrorLine: String { stderr.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// `environment`: variables set on top of the test's own.
    @discardableResult
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
        var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// An image or video frame decoded to raw RGB24 by the ffmpeg CLI (an independent decoder).
    static func rgb24(_ path: String) throws -> Data {
        let decode = Process()
        decode.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        decode.arguments = ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pipe = Pipe()
        decode.standardOutput = pipe
        try decode.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        decode.waitUntilExit()
        return data
    }

    /// ffprobe's JSON for a media file.
    static func probe(_ path: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-show_chapters", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A small project: two short tracks rendered tiny, so a full build takes seconds.
struct TestProject {
    let root: String

    static let buildfile = """
    album:
      title: Test Album
      artist: Tester
      tracks:
        - id: one
          title: One
          audio: audio/one.wav
        - id: two
          title: Two
          audio: audio/two.wav
          trim: {start: 0.5, end: null}
    output: {width: 96, height: 64, fps: 12}
    controller: {anchors: null}
    generator: {hidden: 8, layers: 3, render_scale: 0.5}
    encoder: {preset: ultrafast, crf: 30}
    shards: {frames: 10}
    """

    init(buildfile: String = TestProject.buildfile) throws {
        root = Scratch.fresh()
        try FileManager.default.createDirectory(atPath: root + "/audio", withIntermediateDirectories: true)
        try WAV.write(path: root + "/audio/one.wav", seconds: 3.0, bpm: 120, sampleRate: 22050, channels: 2)
        try WAV.write(path: root + "/audio/two.wav", seconds: 2.5, bpm: 90, sampleRate: 22050, channels: 2)
        try write("Buildfile.yaml", buildfile)
    }

    /// A copy of the repository's demo album (Buildfile, audio, presets, anchors, styles), no cache.
    static func demo() throws -> TestProject {
        let project = try TestProject()
        try FileManager.default.removeItem(atPath: project.root)
        try FileManager.default.createDirectory(atPath: project.root, withIntermediateDirectories: true)
        for item in ["Buildfile.yaml", "album", "presets", "models", "styles"] {
            try FileManager.default.copyItem(atPath: TinyRepository.root + "/" + item, toPath: project.root + "/" + item)
        }
        return project
    }

    /// A copy of another project, cache and renders included.
    init(copying other: TestProject) throws {
        root = Scratch.fresh()
        try FileManager.default.copyItem(atPath: other.root, toPath: root)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + name))
    }

    @discardableResult
    func ntsbuild(_ arguments: String...) throws -> CLI.Result { try CLI.run(arguments, in: root) }

    var latest: String { root + "/renders/latest" }

    func runJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: latest + "/run.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func outputHashes() throws -> [String: String] {
        let outputs = try runJSON()["outputs"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: outputs.map { ($0["file"] as! String, $0["sha256"] as! String) })
    }

    /// Every file under cache/ with its size, to check that a failed build changed nothing.
    func cacheListing() -> [String: Int] {
        let fm = FileManager.default
        var listing: [String: Int] = [:]
        for path in (fm.subpaths(atPath: root + "/cache") ?? []) where !path.hasPrefix("tmp") {
            let attributes = try? fm.attributesOfItem(atPath: root + "/cache/" + path)
            if attributes?[.type] as? FileAttributeType == .typeRegular { listing[path] = (attributes?[.size] as? NSNumber)?.intValue }
        }
        return listing
    }
}

/// Writes a 16-bit PCM WAV with a kick on every beat, a hat on off-beats and a chord pad.
enum WAV {
    static func write(path: String, seconds: Double, bpm: Double, sampleRate: Int, channels: Int) throws {
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Int16](repeating: 0, count: frames * channels)
        let beat = 60.0 / bpm
        var noise: UInt32 = 12345
        for i in 0..<frames {
            let t = Double(i) / Double(sampleRate)
            let sinceBeat = t.truncatingRemainder(dividingBy: beat)
            let kick = sin(2 * .pi * (50 + 100 * exp(-sinceBeat * 30)) * sinceBeat) * exp(-sinceBeat * 12)
            let sinceHat = (t + beat / 2).truncatingRemainder(dividingBy: beat)
            noise = noise &* 1_664_525 &+ 1_013_904_223
            let hat = (Double(noise >> 8) / Double(1 << 24) - 0.5) * exp(-sinceHat * 60) * 0.4
            let pad = (sin(2 * .pi * 220 * t) + sin(2 * .pi * 277.2 * t) + sin(2 * .pi * 329.6 * t)) * 0.08 * (t > seconds / 2 ? 1 : 0.3)
            let value = max(-1, min(1, 0.6 * kick + hat + pad))
            for c in 0..<channels { samples[i * channels + c] = Int16(value * 30000) }
        }
        var data = Data()
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        let bytes = samples.count * 2
        data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + bytes)); data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16)); append(UInt16(1)); append(UInt16(channels)); append(UInt32(sampleRate))
        append(UInt32(sampleRate * channels * 2)); append(UInt16(channels * 2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(UInt32(bytes))
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
