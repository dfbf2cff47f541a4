import Foundation
import XCTest
@testable import Nodes

/// Helpers shared by the media tests: scratch files, synthetic frames and audio, ffprobe.
enum MediaFixtures {
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("media-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a scratch directory, unless MEDIA_TESTS_KEEP is set (to inspect the files by hand).
    static func cleanUp(_ url: URL) {
        if let keep = ProcessInfo.processInfo.environment["MEDIA_TESTS_KEEP"], !keep.isEmpty {
            print("kept \(url.path)")
            return
        }
        try? FileManager.default.removeItem(at: url)
    }

    /// A moving gradient with a little per-pixel structure, so codecs have real work to do.
    static func frame(_ i: Int, width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let p = (y * width + x) * 3
                image.pixels[p] = UInt8((x * 255 / max(1, width - 1) + i * 7) & 255)
                image.pixels[p + 1] = UInt8((y * 255 / max(1, height - 1) + i * 3) & 255)
                image.pixels[p + 2] = UInt8(((x ^ y) * 5 + i * 11) & 255)
            }
        }
        return image
    }

    /// A sine tone as an `AudioInput`, generated block by block (never held whole).
    static func sine(seconds: Double, rate: Int = 44_100, channels: Int = 2, frequency: Double = 440) -> AudioInput {
        let total = Int((seconds * Double(rate)).rounded())
        var position = 0
        return AudioInput(sampleRate: rate, channels: channels, totalFrames: total) { n in
            let count = min(n, total - position)
            guard count > 0 else { return [] }
            var out = [Float](repeating: 0, count: count * channels)
            for i in 0..<count {
                let t = Double(position + i) / Double(rate)
                let v = Float(0.5 * sin(2 * Double.pi * frequency * t))
                for c in 0..<channels { out[i * channels + c] = v }
            }
            position += count
            return out
        }
    }

    /// `ffprobe -print_format json` with the given sections, parsed.
    static func probe(_ path: String, _ arguments: [String] = ["-show_streams", "-show_format"]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffprobe", "-v", "error", "-print_format", "json"] + arguments + [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "ffprobe", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "ffprobe failed on \(path)"])
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func streams(_ probe: [String: Any]) -> [[String: Any]] { probe["streams"] as? [[String: Any]] ?? [] }

    static func stream(_ probe: [String: Any], type: String) -> [String: Any]? {
        streams(probe).first { $0["codec_type"] as? String == type }
    }

    static func double(_ value: Any?) -> Double? { (value as? String).flatMap(Double.init) ?? (value as? Double) }

    /// Offsets of the top-level MP4 atoms with the given type, in file order.
    static func atomOffsets(_ path: String) throws -> [(type: String, offset: Int)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var atoms: [(String, Int)] = []
        var offset = 0
        while offset + 8 <= data.count {
            var size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            if size == 1, offset + 16 <= data.count { size = data[offset + 8..<offset + 16].reduce(0) { $0 << 8 | Int($1) } }
            if size == 0 { size = data.count - offset }
            atoms.append((type, offset))
            guard size >= 8 else { break }
            offset += size
        }
        return atoms
    }
}
