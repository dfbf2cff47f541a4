import Foundation
import XCTest
@testable import Nodes

/// Opt-in timing of a long extraction: `NTS_FEATURES_PERF_SECONDS=600 swift test -c release ...`.
/// Reports wall time and peak memory, to check streaming (memory must not grow with the file).
final class FeaturesPerformanceTests: XCTestCase {
    func testLongFileTiming() throws {
        guard let value = ProcessInfo.processInfo.environment["NTS_FEATURES_PERF_SECONDS"], let seconds = Double(value) else {
            throw XCTSkip("set NTS_FEATURES_PERF_SECONDS to time a long extraction")
        }
        let audio = try TestAudio()
        let rate = 48000
        var state: UInt32 = 1
        let path = try audio.write("long.wav", sampleRate: rate, channels: 2, frames: Int(seconds * Double(rate))) { i in
            state = state &* 1_664_525 &+ 1_013_904_223
            let noise = Float(Int32(bitPattern: state)) / Float(Int32.max)
            let beat = i % (rate / 2) < 2000 ? noise * 0.5 : 0
            let tone = Float(0.2 * sin(2 * Double.pi * 220 * Double(i) / Double(rate)))
            return [tone + beat, tone - beat]
        }
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        var usage = rusage()
        getrusage(who, &usage)
        let rssBefore = usage.ru_maxrss
        let file = try AudioFile(path: path)
        let span = try AudioSpan(file: file, trimStart: 0, trimEnd: nil)
        let start = Date()
        let st = try FeatureExtractor(config: FeaturesConfig(), fps: 60).extract(file: file, span: span)
        let elapsed = Date().timeIntervalSince(start)
        getrusage(who, &usage)
        print(String(format: "features: %.0f s of 48 kHz stereo at 60 fps in %.2f s (%.0f× real time); peak RSS %d MB (was %d MB); %d frames",
                     seconds, elapsed, seconds / elapsed, usage.ru_maxrss / 1024, rssBefore / 1024, st.tensors["rms"]!.shape[0]))
    }
}
