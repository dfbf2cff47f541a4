import CSndfile
import Foundation
import XCTest
@testable import Nodes

/// Hostile audio: anything libsndfile can be handed gives a typed error naming the file or
/// finite features, never a crash or NaN.
final class AudioRobustnessTests: XCTestCase {
    /// Asserts `body` throws an AudioError whose one-line description names `path`.
    func assertAudioError(_ path: String, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let audio = error as? AudioError else { return XCTFail("\(error) is not an AudioError", file: file, line: line) }
            XCTAssertTrue(audio.description.contains(path), "\(audio) should name the file", file: file, line: line)
            XCTAssertFalse(audio.description.contains("\n"), "one line", file: file, line: line)
        }
    }

    func testMissingFile() throws {
        let audio = try TestAudio()
        let path = audio.directory.appendingPathComponent("nope.wav").path
        assertAudioError(path) { _ = try AudioFile(path: path) }
    }

    func testUnsupportedFormats() throws {
        let audio = try TestAudio()
        let text = try audio.raw("notes.wav", Data("this is not audio\n".utf8))
        assertAudioError(text) { _ = try AudioFile(path: text) }
        // A PNG renamed to .wav: the signature and an IHDR chunk, then nothing useful.
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        png.append(Data(repeating: 0x42, count: 2000))
        let renamed = try audio.raw("picture.wav", png)
        assertAudioError(renamed) { _ = try AudioFile(path: renamed) }
        let empty = try audio.raw("empty.flac", Data())
        assertAudioError(empty) { _ = try AudioFile(path: empty) }
    }

    func testZeroLengthFile() throws {
        let audio = try TestAudio()
        // A valid WAV header and no samples: opens, but there is nothing to render.
        let path = try audio.mono("zero.wav", sampleRate: 44100, frames: 0) { _ in 0 }
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.frameCount, 0)
        assertAudioError(path) { _ = try AudioSpan(file: file, trimStart: 0, trimEnd: nil) }
        // The same through the extractor's entry point used by the tests.
        assertAudioError(path) { _ = try extract(path) }
    }

    func testSingleSample() throws {
        let audio = try TestAudio()
        let path = try audio.mono("one.wav", sampleRate: 8000, frames: 1) { _ in 0.5 }
        let st = try extract(path, fps: 30)
        // round(1 / 8000 · 30) = 0 rows would be no output; the extractor keeps at least one.
        XCTAssertGreaterThanOrEqual(st.tensors["rms"]!.shape[0], 1)
        assertAllFinite(st)
    }

    /// Damaged files: a flipped-bytes FLAC and a truncated WAV and FLAC. Either a typed error or
    /// finite features — whichever libsndfile's decoder allows — but never a crash.
    func testCorruptFiles() throws {
        let audio = try TestAudio()
        let rate = 22050
        let tone: (Int) -> [Float] = { [Float(0.4 * sin(Double($0) * 0.06))] }
        let flac = try audio.write("good.flac", sampleRate: rate, frames: 3 * rate, format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), samples: tone)
        let wav = try audio.write("good.wav", sampleRate: rate, frames: 3 * rate, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), samples: tone)
        let flacBytes = try Data(contentsOf: URL(fileURLWithPath: flac))
        let wavBytes = try Data(contentsOf: URL(fileURLWithPath: wav))

        var scrambled = flacBytes
        var state: UInt32 = 7
        for i in stride(from: scrambled.count / 3, to: scrambled.count, by: 97) {
            state = state &* 1_664_525 &+ 1_013_904_223
            scrambled[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        let cases = [
            ("scrambled.flac", scrambled),
            ("truncated.flac", flacBytes.prefix(flacBytes.count / 2)),
            ("truncated.wav", wavBytes.prefix(wavBytes.count / 2)),
            ("header-only.flac", flacBytes.prefix(60)),
        ]
        for (name, bytes) in cases {
            let path = try audio.raw(name, Data(bytes))
            do {
                let st = try extract(path)
                assertAllFinite(st)
                XCTAssertGreaterThan(st.tensors["rms"]!.shape[0], 0, name)
                print("\(name): \(st.tensors["rms"]!.shape[0]) finite rows")
            } catch let error as AudioError {
                XCTAssertTrue(error.description.contains(path), "\(name): \(error)")
                print("\(name): \(error)")
            }
        }
        // A WAV cut in half: libsndfile sizes it by the data actually present, so it is a 1.5 s file.
        let st = try extract(try audio.raw("half.wav", wavBytes.prefix(wavBytes.count / 2)))
        XCTAssertEqual(st.tensors["rms"]!.shape, [45])
        XCTAssertEqual(st.values("rms")[20], 0.4 / Float(2).squareRoot(), accuracy: 0.01)
    }

    /// NaN and ±Inf in a float WAV read as silence: the output equals that of the cleaned file.
    func testNonFiniteSamples() throws {
        let audio = try TestAudio()
        let rate = 16000
        let tone: (Int) -> Float = { Float(0.3 * sin(Double($0) * 0.09)) }
        let bad: Set<Int> = [0, 100, 5_000, 5_001, 12_345, 3 * rate - 1]
        let poisoned = try audio.mono("nan.wav", sampleRate: rate, frames: 3 * rate) { i in
            guard bad.contains(i) else { return tone(i) }
            return [Float.nan, .infinity, -.infinity][i % 3]
        }
        let cleaned = try audio.mono("clean.wav", sampleRate: rate, frames: 3 * rate) { bad.contains($0) ? 0 : tone($0) }
        let st = try extract(poisoned)
        assertAllFinite(st)
        XCTAssertEqual(st.tensors, try extract(cleaned).tensors)
        // All-NaN is silence; huge finite values overflow the power spectrum but never reach the output as Inf.
        assertAllFinite(try extract(try audio.mono("allnan.wav", sampleRate: rate, frames: rate) { _ in .nan }))
        assertAllFinite(try extract(try audio.mono("huge.wav", sampleRate: rate, frames: rate) { $0 % 2 == 0 ? 3e38 : -3e38 }))
    }

    func testExtremeSampleRates() throws {
        let audio = try TestAudio()
        for rate in [8000, 192_000] {
            let path = try audio.write("tone\(rate).wav", sampleRate: rate, channels: 2, frames: 2 * rate) { i in
                let s = Float(0.3 * sin(2 * Double.pi * 1000 * Double(i) / Double(rate)))
                return [s, s]
            }
            for fps in [24, 30, 60] {
                let st = try extract(path, fps: fps)
                assertShapes(st, frames: 2 * fps)
                assertAllFinite(st)
                XCTAssertEqual(Double(mean(st.values("centroid")[5..<(2 * fps - 5)])), 1000, accuracy: 30, "\(rate) Hz at \(fps) fps")
                XCTAssertEqual(st.metadata["sample_rate"], String(rate))
            }
        }
    }

    /// Every format the installed libsndfile writes is read back and analysed. Lossy codecs shift
    /// the spectrum a little and pad the start, so the checks are loose: row count ±2 frames and
    /// a 440 Hz tone's chroma peak on A.
    func testEveryLibsndfileFormat() throws {
        let audio = try TestAudio()
        let formats: [(String, Int32, Int)] = [
            ("wav", Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24), 44100),
            ("flac", Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), 44100),
            ("ogg", Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS), 44100),
            ("opus", Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS), 48000),
            ("mp3", Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III), 44100),
        ]
        var written = 0
        for (ext, format, rate) in formats {
            var info = SF_INFO(frames: 0, samplerate: Int32(rate), channels: 2, format: format, sections: 0, seekable: 0)
            guard sf_format_check(&info) == SF_TRUE else {
                print("libsndfile cannot write .\(ext) here; skipped")
                continue
            }
            let path = try audio.write("tone.\(ext)", sampleRate: rate, channels: 2, frames: 3 * rate, format: format) { i in
                let s = Float(0.3 * sin(2 * Double.pi * 440 * Double(i) / Double(rate)))
                return [s, s]
            }
            written += 1
            let file = try AudioFile(path: path)
            XCTAssertEqual(file.sampleRate, rate, ext)
            XCTAssertEqual(file.channels, 2, ext)
            let st = try extract(path)
            let rows = st.tensors["rms"]!.shape[0]
            XCTAssertEqual(Double(rows), 90, accuracy: 2, ext)
            assertAllFinite(st)
            XCTAssertEqual(Double(mean(st.values("rms")[20..<70])), 0.3 / 2.0.squareRoot(), accuracy: 0.02, ext)
            let chroma = st.tensors["chroma"]!
            let mid = Array(chroma.data[(45 * 12)..<(46 * 12)])
            XCTAssertEqual(mid.firstIndex(of: mid.max()!), 9, "\(ext): chroma peak on A")
        }
        XCTAssertGreaterThanOrEqual(written, 3, "at least WAV, FLAC and Ogg/Vorbis")
    }
}
