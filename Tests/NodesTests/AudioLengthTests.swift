import CSndfile
import Foundation
import XCTest
@testable import Nodes

/// An audio file's length is what its decoder delivers, not what its header claims: a FLAC of
/// unknown length (written to a pipe) claims 2^63 - 1 frames, an MP3's count is an estimate.
final class AudioLengthTests: XCTestCase {
    /// The frame count libsndfile reports from the header, for comparison.
    func claimedFrames(_ path: String) -> Int64 {
        var info = SF_INFO()
        guard let h = sf_open(path, Int32(SFM_READ), &info) else { return -1 }
        sf_close(h)
        return Int64(info.frames)
    }

    /// Frames read one block at a time until the decoder stops.
    func framesRead(_ file: AudioFile) throws -> Int {
        var total = 0
        while true {
            let block = try file.readInterleaved(frames: 10_000)
            if block.isEmpty { return total }
            total += block.count / file.channels
        }
    }

    /// A FLAC whose STREAMINFO says "total samples unknown" (0), as an encoder writing to a pipe leaves it.
    func unknownLengthFLAC(_ audio: TestAudio, _ name: String, frames: Int) throws -> String {
        let path = try audio.write(name, sampleRate: 22050, channels: 2, frames: frames, format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)) { i in
            let s = Float(0.4 * sin(Double(i) * 0.05))
            return [s, -s]
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // STREAMINFO's data starts at byte 8; its 36-bit sample total spans the low nibble of byte
        // 13 and bytes 14...17 of it.
        bytes[8 + 13] &= 0xF0
        for i in 14...17 { bytes[8 + i] = 0 }
        return try audio.raw(name, bytes)
    }

    func testFLACOfUnknownLength() throws {
        let audio = try TestAudio()
        let path = try unknownLengthFLAC(audio, "piped.flac", frames: 44_100)
        XCTAssertEqual(claimedFrames(path), Int64.max, "libsndfile's claim for an unknown length")
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.frameCount, 44_100)
        guard file.frameCount == 44_100 else { return }  // otherwise the extractor would allocate for the claim
        XCTAssertEqual(try framesRead(file), 44_100, "reads start at the first frame after counting")
        let st = try extract(path, fps: 30)
        XCTAssertEqual(st.tensors["rms"]!.shape, [60])
        assertAllFinite(st)
    }

    /// A FLAC with a STREAMINFO block and no audio frames, as an encoder writing an empty stream to
    /// a pipe leaves it ("total samples: unknown").
    func testFLACWithNoSamples() throws {
        let audio = try TestAudio()
        var bytes = Data("fLaC".utf8) + [0x80, 0x00, 0x00, 0x22]  // the last metadata block: STREAMINFO, 34 bytes
        bytes += [0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0]       // block sizes 4096, frame sizes unknown
        bytes += [0x05, 0x62, 0x22, 0xF0, 0, 0, 0, 0]             // 22050 Hz, 2 channels, 16 bits, 0 samples
        bytes += Data(repeating: 0, count: 16)                    // no MD5
        let path = try audio.raw("empty.flac", bytes)
        XCTAssertEqual(claimedFrames(path), Int64.max, "libsndfile's claim for an unknown length")
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.frameCount, 0)
        XCTAssertThrowsError(try AudioSpan(file: file, trimStart: 0, trimEnd: nil)) { error in
            XCTAssertEqual("\(error)", "\(path): no audio to render: the file has no samples")
        }
    }

    /// Without a Xing/Info frame libsndfile estimates an MP3's length from its bit rate (here 635
    /// frames too many, which a video would run on in silence); the decoded length is exact.
    func testMP3LengthIsTheDecodedLength() throws {
        let audio = try TestAudio()
        let path = audio.directory.appendingPathComponent("cbr.mp3").path
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "needs the ffmpeg CLI")
        let encode = Process()
        encode.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        encode.arguments = ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:r=44100:d=5", "-ac", "2",
                            "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", path]
        try encode.run()
        encode.waitUntilExit()
        let file = try AudioFile(path: path)
        let decoded = try framesRead(try AudioFile(path: path))
        XCTAssertGreaterThan(claimedFrames(path), Int64(decoded), "the header's estimate overshoots")
        XCTAssertEqual(Double(decoded), 5 * 44100, accuracy: 2000, "about the 5 s encoded")
        XCTAssertEqual(file.frameCount, decoded)
        XCTAssertEqual(try framesRead(file), decoded)
    }

    /// Counting decodes the file once per version: a changed file is counted again.
    func testLengthFollowsTheFileVersion() throws {
        let audio = try TestAudio()
        let path = try audio.mono("a.wav", sampleRate: 8000, frames: 8000) { _ in 0.1 }
        XCTAssertEqual(try AudioFile(path: path).frameCount, 8000)
        let replacement = try audio.mono("b.wav", sampleRate: 8000, frames: 4000) { _ in 0.1 }
        XCTAssertEqual(rename(replacement, path), 0)
        XCTAssertEqual(try AudioFile(path: path).frameCount, 4000)
    }

    /// A file may declare 1024 channels; mixing to mono reads through at most 1 MiB of scratch
    /// (not 256 MB for the extractor's 65 536-frame blocks), and the mix is the same.
    func testManyChannelsMixThroughBoundedScratch() throws {
        let audio = try TestAudio()
        let path = try audio.write("wide.wav", sampleRate: 8000, channels: 1024, frames: 1000) { i in
            (0..<1024).map { c in c == 0 ? Float(i % 100) / 100 : 0 }
        }
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.frameCount, 1000)
        let first = try file.readMono(frames: 1 << 16)
        XCTAssertEqual(first.count, 256, "one 1 MiB block of 1024 channels")
        XCTAssertEqual(first[99], 0.99 / 1024, accuracy: 1e-7)
        var total = first.count
        while true {
            let block = try file.readMono(frames: 1 << 16)
            if block.isEmpty { break }
            total += block.count
        }
        XCTAssertEqual(total, 1000)
    }

    /// Trims far past any length (or infinite, or NaN) clamp to the file instead of trapping in
    /// the conversion to a frame index.
    func testTrimsBeyondAnyLengthClampToTheFile() throws {
        let audio = try TestAudio()
        let file = try AudioFile(path: try audio.mono("t.wav", sampleRate: 8000, frames: 8000) { _ in 0.1 })
        XCTAssertEqual(try AudioSpan(file: file, trimStart: 0.5, trimEnd: 1e300).description, "4000..<8000")
        XCTAssertEqual(try AudioSpan(file: file, trimStart: -1e300, trimEnd: .infinity).description, "0..<8000")
        XCTAssertEqual(try AudioSpan(file: file, trimStart: .nan, trimEnd: 0.25).description, "0..<2000")
        XCTAssertThrowsError(try AudioSpan(file: file, trimStart: 1e300, trimEnd: nil))
    }
}
