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

    /// `samples(frameIndex)` gives one value per channel; `format` is a libsndfile SF_FORMAT_* pair.
    func write(_ name: String, sampleRate: Int, channels: Int = 1, frames: Int,
               format: Int32 = Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT), samples: (Int) -> [Float]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format
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

    /// A file with arbitrary bytes (not audio, or damaged audio).
    func raw(_ name: String, _ bytes: Data) throws -> String {
        let url = directory.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
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

/// Shared by the feature and audio tests.
extension XCTestCase {
    func assertAllFinite(_ st: Safetensors, file: StaticString = #filePath, line: UInt = #line) {
        for (name, t) in st.tensors {
            XCTAssertFalse(t.data.contains { !$0.isFinite }, "\(name) has non-finite values", file: file, line: line)
        }
    }

    func assertShapes(_ st: Safetensors, frames n: Int, melBands: Int = 32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(st.tensors.keys), FeaturesTests.expectedTensors, file: file, line: line)
        for name in ["rms", "centroid", "rolloff", "flatness", "onset", "harmonic", "percussive", "beats"] {
            XCTAssertEqual(st.tensors[name]?.shape, [n], name, file: file, line: line)
            XCTAssertEqual(st.tensors[name + "_norm"]?.shape ?? [n], [n], name, file: file, line: line)
        }
        XCTAssertEqual(st.tensors["mel"]?.shape, [n, melBands], file: file, line: line)
        XCTAssertEqual(st.tensors["mfcc"]?.shape, [n, 13], file: file, line: line)
        XCTAssertEqual(st.tensors["chroma"]?.shape, [n, 12], file: file, line: line)
        XCTAssertEqual(st.tensors["tempo"]?.shape, [1], file: file, line: line)
        XCTAssertEqual(st.metadata["frames"], String(n), file: file, line: line)
    }
}
