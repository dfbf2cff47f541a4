import Foundation
import Nodes

/// The Buildfile loader with `--set` values, then the album graph built from it: the input is a
/// Buildfile, optionally followed by a NUL byte and `KEY=VALUE` lines handed over as `--set`, and
/// by a second NUL and a preset file (`presets/fuzz.yaml`, applied with `--preset fuzz`). The
/// project holds one short audio file, `a.wav`, for tracks to name.
enum BuildfileFuzz {
    static let root: String = {
        let root = ScratchFile.directory + "/project"
        try? FileManager.default.createDirectory(atPath: root + "/presets", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/a.wav", contents: tinyWAV(frames: 4000, rate: 8000))
        return root
    }()

    static func run(_ input: Data) {
        let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        _ = FileManager.default.createFile(atPath: root + "/Buildfile.yaml", contents: Data(parts[0]))
        let sets = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).split(separator: "\n").map(String.init) : []
        var presets: [String] = []
        if parts.count > 2 {
            _ = FileManager.default.createFile(atPath: root + "/presets/fuzz.yaml", contents: Data(parts[2]))
            presets = ["fuzz"]
        }
        let project: Project
        do {
            project = try BuildfileLoader.load(path: root + "/Buildfile.yaml", overrides: Overrides(presets: presets, sets: sets))
        } catch let errors as ConfigErrors {
            // Several mistakes at once: one line each.
            errors.errors.forEach { requireOneLine($0, .buildfile) }
            return
        } catch {
            guard error is ConfigError else { fatalError("buildfile: untyped error \(error)") }
            requireOneLine(error, .buildfile)
            return
        }
        do {
            _ = try AlbumGraph(project: project)
        } catch {
            requireOneLine(error, .buildfile)
        }
    }

    /// Half a second of 16-bit mono silence at 8 kHz.
    static func tinyWAV(frames: Int, rate: Int) -> Data {
        var data = Data()
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + 2 * frames)); data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(2 * rate)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(UInt32(2 * frames))
        data.append(Data(repeating: 0, count: 2 * frames))
        return data
    }
}
