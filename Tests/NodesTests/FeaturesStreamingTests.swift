import Foundation
import XCTest
@testable import Nodes

/// The sliding sample window and span handling: streaming must not change the numbers.
final class FeaturesStreamingTests: XCTestCase {
    func testSignalWindowMatchesDirectSlicing() throws {
        let signal = (0..<10_000).map { Float($0) }
        for blockSize in [1, 7, 256, 100_000] {
            var position = 2_000
            let window = SignalWindow(spanStart: 2_000, spanEnd: 9_000, blockSize: blockSize) { count in
                let end = min(signal.count, position + count)
                defer { position = end }
                return Array(signal[position..<end])
            }
            var out = [Float](repeating: -1, count: 512)
            for start in stride(from: 1_500, to: 9_600, by: 333) {
                try out.withUnsafeMutableBufferPointer { try window.copy(from: start, count: 512, into: $0.baseAddress!) }
                let expected = (start..<(start + 512)).map { $0 >= 2_000 && $0 < 9_000 ? Float($0) : 0 }
                XCTAssertEqual(out, expected, "block \(blockSize), start \(start)")
            }
        }
    }

    func testTrimmedSpanEqualsTheSameAudioAsItsOwnFile() throws {
        let audio = try TestAudio()
        let rate = 16000
        let tone: (Int) -> Float = { i in Float(0.3 * sin(Double(i) * 0.07) + 0.2 * sin(Double(i) * 0.0131)) * (i % 4000 < 300 ? 2 : 1) }
        let whole = try audio.mono("whole.wav", sampleRate: rate, frames: 3 * rate, tone)
        let part = try audio.mono("part.wav", sampleRate: rate, frames: rate + rate / 2) { tone($0 + rate) }
        // Samples before and after the span must read as zero padding, not as neighbouring audio.
        let trimmed = try extract(whole, trimStart: 1.0, trimEnd: 2.5)
        let alone = try extract(part)
        XCTAssertEqual(trimmed.tensors, alone.tensors)
    }

    func testProgressReportsBothPasses() throws {
        let audio = try TestAudio()
        let path = try audio.mono("p.wav", sampleRate: 8000, frames: 8000) { Float(sin(Double($0))) }
        let file = try AudioFile(path: path)
        let span = try AudioSpan(file: file, trimStart: 0, trimEnd: nil)
        var calls: [(Int, Int)] = []
        _ = try FeatureExtractor(config: FeaturesConfig(), fps: 25).extract(file: file, span: span) { calls.append(($0, $1)) }
        XCTAssertEqual(calls.count, 50)
        XCTAssertEqual(calls.last?.0, 50)
        XCTAssertTrue(calls.allSatisfy { $0.1 == 50 })
    }

    /// Short spans are decoded once and kept; long ones are streamed twice. Same numbers either way.
    func testDecodeOnceEqualsStreaming() throws {
        let audio = try TestAudio()
        let rate = 22050
        let path = try audio.write("stereo.wav", sampleRate: rate, channels: 2, frames: 4 * rate) { i in
            let s = Float(0.3 * sin(Double(i) * 0.05)) * (i % 5000 < 400 ? 2 : 1)
            return [s, -0.5 * s]
        }
        let file = try AudioFile(path: path)
        for (start, end) in [(0.0, nil), (0.7, 3.1)] as [(Double, Double?)] {
            let span = try AudioSpan(file: file, trimStart: start, trimEnd: end)
            let extractor = FeatureExtractor(config: FeaturesConfig(), fps: 30)
            let kept = try extractor.extract(file: file, span: span, decodeOnceLimit: .max, progress: nil)
            let streamed = try extractor.extract(file: file, span: span, decodeOnceLimit: 0, progress: nil)
            XCTAssertEqual(kept.tensors, streamed.tensors)
        }
    }
}
