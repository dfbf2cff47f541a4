import Foundation
import XCTest
@testable import Nodes

final class FeaturesTests: XCTestCase {
    static let expectedTensors: Set<String> = [
        "rms", "centroid", "rolloff", "flatness", "onset", "mel", "mfcc", "chroma", "harmonic", "percussive",
        "beats", "tempo", "rms_norm", "onset_norm", "centroid_norm", "flatness_norm", "harmonic_norm", "percussive_norm",
    ]

    func testSineCentroidAndChroma() throws {
        let audio = try TestAudio()
        let rate = 44100
        let sine1k = try audio.mono("sine1k.wav", sampleRate: rate, frames: 2 * rate) { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / Double(rate))) }
        let st = try extract(sine1k)
        assertShapes(st, frames: 60)
        assertAllFinite(st)
        let centroid = st.values("centroid")
        // Interior frames (away from the zero padding at the edges).
        XCTAssertEqual(mean(centroid[5..<55]), 1000, accuracy: 15)
        XCTAssertEqual(mean(st.values("rolloff")[5..<55]), 1000, accuracy: 50)
        XCTAssertEqual(mean(st.values("rms")[5..<55]), 0.5 / Float(2).squareRoot(), accuracy: 0.005)
        XCTAssertLessThan(mean(st.values("flatness")[5..<55]), 0.01, "a pure tone is not flat")
        // A steady tone is harmonic.
        XCTAssertGreaterThan(mean(st.values("harmonic")[10..<50]), 10 * mean(st.values("percussive")[10..<50]))

        let a440 = try audio.mono("a440.wav", sampleRate: rate, frames: 2 * rate) { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        let chroma = try extract(a440).tensors["chroma"]!
        for i in 5..<55 {
            let row = Array(chroma.row(i))
            XCTAssertEqual(row.firstIndex(of: row.max()!), 9, "frame \(i): A is pitch class 9 (C = 0)")
            XCTAssertEqual(row.max()!, 1, accuracy: 1e-6)
        }
    }

    func testClickTrackTempoAndBeats() throws {
        let audio = try TestAudio()
        let rate = 22050
        let seconds = 20.0
        let period = rate / 2  // 120 BPM
        // Short decaying noise bursts (deterministic LCG noise) on every beat.
        var state: UInt32 = 12345
        let noise = (0..<1000).map { _ -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int32(bitPattern: state)) / Float(Int32.max)
        }
        let path = try audio.mono("clicks.wav", sampleRate: rate, frames: Int(seconds * Double(rate))) { i in
            let phase = i % period
            return phase < noise.count ? 0.8 * noise[phase] * exp(-Float(phase) / 150) : 0
        }
        let fps = 30
        let st = try extract(path, fps: fps)
        assertAllFinite(st)
        let tempo = st.values("tempo")[0]
        XCTAssertEqual(tempo, 120, accuracy: 6, "tempo \(tempo)")
        let beatFrames = st.values("beats").indices.filter { st.values("beats")[$0] == 1 }
        XCTAssertGreaterThan(beatFrames.count, 30, "about 40 beats in 20 s, got \(beatFrames)")
        // Each beat lies within two frames of a click (clicks at multiples of 15 frames).
        for b in beatFrames {
            let distance = min(b % 15, 15 - b % 15)
            XCTAssertLessThanOrEqual(distance, 2, "beat at frame \(b)")
        }
        // Onsets peak on the clicks.
        let onset = st.values("onset")
        let onClick = stride(from: 15, to: onset.count - 1, by: 15).map { max(onset[$0], onset[$0 + 1]) }
        XCTAssertGreaterThan(onClick.min()!, 5 * mean(onset[...]) / 2)
        XCTAssertGreaterThan(mean(st.values("percussive")[...]), mean(st.values("harmonic")[...]))
    }

    func testSilenceGivesZerosAndNoNaN() throws {
        let audio = try TestAudio()
        let path = try audio.mono("silence.wav", sampleRate: 48000, frames: 48000 * 3) { _ in 0 }
        let st = try extract(path)
        assertShapes(st, frames: 90)
        assertAllFinite(st)
        for name in FeaturesTests.expectedTensors where !["flatness", "mfcc"].contains(name) {
            XCTAssertTrue(st.values(name).allSatisfy { $0 == 0 }, "\(name) should be zero for silence")
        }
        // librosa's conventions for silence: perfectly flat, MFCCs of a constant -100 dB spectrum.
        XCTAssertTrue(st.values("flatness").allSatisfy { $0 == 1 })
        XCTAssertEqual(Array(st.tensors["mfcc"]!.row(0))[0], -100 * Float(128).squareRoot(), accuracy: 0.01)
        XCTAssertTrue(Array(st.tensors["mfcc"]!.row(0))[1...].allSatisfy { abs($0) < 1e-2 })
    }

    func testTinyInputs() throws {
        let audio = try TestAudio()
        for frames in [1, 2, 100, 1024, 2047, 3000] {
            let path = try audio.mono("tiny\(frames).wav", sampleRate: 44100, frames: frames) { Float(sin(Double($0))) }
            for fps in [24, 30, 60] {
                let st = try extract(path, fps: fps)
                let n = FrameTiming(sampleRate: 44100, fps: fps).frameCount(samples: frames)
                assertShapes(st, frames: n)
                assertAllFinite(st)
            }
        }
        // A single loud sample among silence.
        let impulse = try audio.mono("impulse.wav", sampleRate: 44100, frames: 44100) { $0 == 22050 ? 1 : 0 }
        assertAllFinite(try extract(impulse))
    }

    func testRowCountFollowsDurationAndFps() throws {
        let audio = try TestAudio()
        let rate = 44100
        let frames = Int(3.7 * Double(rate))
        let path = try audio.mono("noise.wav", sampleRate: rate, frames: frames) { Float(sin(Double($0) * 0.37) * 0.2) }
        let st30 = try extract(path, fps: 30)
        let st60 = try extract(path, fps: 60)
        XCTAssertEqual(st30.tensors["rms"]!.shape, [Int((3.7 * 30).rounded())])
        XCTAssertEqual(st60.tensors["rms"]!.shape[0], 2 * st30.tensors["rms"]!.shape[0])
        // Frame i at 30 fps is centred on the same sample as frame 2i at 60 fps.
        XCTAssertEqual(st30.values("rms")[10], st60.values("rms")[20], accuracy: 1e-6)
        // A trimmed span gives round(span · fps) rows.
        let trimmed = try extract(path, fps: 30, trimStart: 0.5, trimEnd: 2.25)
        XCTAssertEqual(trimmed.tensors["rms"]!.shape, [Int((1.75 * 30).rounded())])
    }

    func testFractionalHopDoesNotDrift() {
        // 44100 / 24 = 1837.5 samples per frame; centres come from the frame index, not a running sum.
        let stft = VideoRateSTFT(nFft: 2048, sampleRate: 44100, fps: 24, spanSamples: 44100 * 3600)
        XCTAssertEqual(stft.frameCount, 24 * 3600)
        XCTAssertEqual(stft.centre(ofFrame: 86399), Int((86399 * 1837.5).rounded()))
        XCTAssertEqual(stft.centre(ofFrame: 1), 1838)
    }

    func testMultichannelFile() throws {
        let audio = try TestAudio()
        let rate = 48000
        // Six channels; only the first two carry the tone, mixed down to mono for analysis.
        let path = try audio.write("six.wav", sampleRate: rate, channels: 6, frames: rate) { i in
            let s = Float(0.3 * sin(2 * Double.pi * 1000 * Double(i) / Double(rate)))
            return [s, s, 0, 0, 0, 0]
        }
        let st = try extract(path)
        assertShapes(st, frames: 30)
        assertAllFinite(st)
        XCTAssertEqual(mean(st.values("centroid")[5..<25]), 1000, accuracy: 15)
        XCTAssertEqual(mean(st.values("rms")[5..<25]), 0.1 / Float(2).squareRoot(), accuracy: 0.002)
    }

    func testNormalisationsAndMetadata() throws {
        let audio = try TestAudio()
        let rate = 22050
        // A tone whose loudness ramps up: rms_norm should rise from 0 to 1.
        let path = try audio.mono("ramp.wav", sampleRate: rate, frames: 4 * rate) { i in
            Float(Double(i) / Double(4 * rate) * sin(2 * Double.pi * 330 * Double(i) / Double(rate)))
        }
        let st = try extract(path)
        let norm = st.values("rms_norm")
        XCTAssertTrue(norm.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(norm.first!, 0)
        XCTAssertEqual(norm[norm.count - 5], 1, "the last frames are the loudest (the very last is half zero padding)")
        XCTAssertEqual(st.metadata["sample_rate"], "22050")
        XCTAssertEqual(st.metadata["fps"], "30")
        XCTAssertEqual(st.metadata["n_fft"], "2048")
        XCTAssertEqual(st.metadata["mel_bands"], "32")
        XCTAssertEqual(st.metadata["extractor_version"], String(FeatureExtractor.version))
        XCTAssertEqual(Set(st.metadata["features"]!.split(separator: ",").map(String.init)), FeaturesTests.expectedTensors)
        // Survives a safetensors round trip.
        let parsed = try Safetensors.parse(st.serialized(), file: "features")
        XCTAssertEqual(parsed.tensors, st.tensors)
        XCTAssertEqual(parsed.metadata, st.metadata)
    }

    func testParallelExtractionsAgree() throws {
        let audio = try TestAudio()
        let rate = 22050
        let a = try audio.mono("a.wav", sampleRate: rate, frames: 3 * rate) { Float(sin(Double($0) * 0.05) * 0.4) }
        let b = try audio.mono("b.wav", sampleRate: rate, frames: 2 * rate) { Float(sin(Double($0) * 0.11) * 0.4) }
        let serial = try [a, b].map { try extract($0) }
        var parallel = [Safetensors?](repeating: nil, count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let st = try? extract([a, b][i], config: FeaturesConfig(nFft: 1024 + 1024 * (i % 2), melBands: 32))
            lock.lock(); parallel[i] = st; lock.unlock()
        }
        XCTAssertEqual(parallel[1]?.tensors, serial[1].tensors)
        XCTAssertEqual(parallel[0]?.tensors["rms"]?.shape, serial[0].tensors["rms"]?.shape)
    }

    /// The selection-based median agrees with sorting, ties and even counts included.
    func testMedianBySelectionMatchesSorting() {
        var state: UInt32 = 3
        for count in Array(1...40) + [127, 128, 129] {
            for _ in 0..<5 {
                var values = (0..<count).map { _ -> Float in
                    state = state &* 1_664_525 &+ 1_013_904_223
                    return Float(state >> 27) - 8
                }
                let sorted = values.sorted()
                let expected = count % 2 == 1 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2])
                XCTAssertEqual(Statistics.median(&values), expected, "count \(count)")
                XCTAssertEqual(values.sorted(), sorted, "a permutation of the input")
            }
        }
    }

    func testInvalidConfigIsATypedError() throws {
        let audio = try TestAudio()
        let path = try audio.mono("x.wav", sampleRate: 8000, frames: 8000) { _ in 0.1 }
        XCTAssertThrowsError(try extract(path, config: FeaturesConfig(nFft: 1001, melBands: 32))) {
            XCTAssertTrue($0 is FeatureError)
        }
        XCTAssertThrowsError(try extract(path, fps: 0)) { XCTAssertTrue($0 is FeatureError) }
    }
}
