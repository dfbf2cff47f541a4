import CSndfile
import Foundation
import XCTest
@testable import Nodes

/// Writes test WAVs (float32) into a fresh temporary directory.
final class TestAudio {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("features-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// `samples(frameIndex)` gives one value per channel.
    func write(_ name: String, sampleRate: Int, channels: Int = 1, frames: Int, samples: (Int) -> [Float]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle) }
        var block: [Float] = []
        block.reserveCapacity(8192 * channels)
        var i = 0
        while i < frames {
            block.removeAll(keepingCapacity: true)
            let end = min(frames, i + 8192)
            for f in i..<end { block.append(contentsOf: samples(f)) }
            _ = block.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(end - i)) }
            i = end
        }
        return path
    }

    func mono(_ name: String, sampleRate: Int, frames: Int, _ sample: @escaping (Int) -> Float) throws -> String {
        try write(name, sampleRate: sampleRate, frames: frames) { [sample($0)] }
    }
}

func extract(_ path: String, fps: Int = 30, config: FeaturesConfig = FeaturesConfig(), trimStart: Double = 0, trimEnd: Double? = nil) throws -> Safetensors {
    let file = try AudioFile(path: path)
    let span = try AudioSpan(file: file, trimStart: trimStart, trimEnd: trimEnd)
    return try FeatureExtractor(config: config, fps: fps).extract(file: file, span: span)
}

extension Safetensors {
    func values(_ name: String) -> [Float] { tensors[name]!.data }
}

func mean(_ v: ArraySlice<Float>) -> Float { v.isEmpty ? 0 : v.reduce(0, +) / Float(v.count) }
