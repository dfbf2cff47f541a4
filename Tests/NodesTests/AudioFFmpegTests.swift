import Foundation
import XCTest
@testable import Nodes

/// Files libsndfile refuses (AAC in M4A, Opus in MP4) are decoded through FFmpeg, at the source's
/// length (priming dropped, the last frame's padding cut), with exact seeks, features that follow
/// the original's, and one-line errors for damaged ones. The files are encoded at test time by
/// the ffmpeg CLI from a fixture FLAC (5 s, mono, 44.1 kHz: 220 500 frames).
final class AudioFFmpegTests: XCTestCase {
    static let source = FeaturesLibrosaTests.fixtures.appendingPathComponent("excerpt-44k.flac").path
    static let sourceFrames = 220_500

    func encode(_ name: String, _ codec: [String], in audio: TestAudio) throws -> String {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"), "needs the ffmpeg CLI")
        let path = audio.directory.appendingPathComponent(name).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-y", "-i", Self.source, "-ac", "2"] + codec + [path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ffmpeg \(codec)")
        return path
    }

    func readAll(_ file: AudioFile) throws -> [Float] {
        var all: [Float] = []
        while true {
            let block = try file.readInterleaved(frames: 4000)
            if block.isEmpty { return all }
            all += block
        }
    }

    func testM4AHasTheSourcesLengthAndSeeksExactly() throws {
        let audio = try TestAudio()
        let path = try encode("a.m4a", ["-c:a", "aac", "-b:a", "128k"], in: audio)
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.sampleRate, 44100)
        XCTAssertEqual(file.channels, 2)
        // Without the cut at the last packet's end it would be 221 184 (216 whole AAC frames).
        XCTAssertEqual(file.frameCount, Self.sourceFrames)
        let all = try readAll(file)
        XCTAssertEqual(all.count, Self.sourceFrames * 2, "reads deliver the counted length")
        // Forward and backward seeks land on the same samples as a read from the start.
        for start in [123_457, 1_000, 220_000, 0] {
            try file.seek(toFrame: start)
            let block = try file.readInterleaved(frames: 500)
            XCTAssertEqual(block, Array(all[(2 * start)..<min(all.count, 2 * (start + 500))]), "seek to \(start)")
        }
        XCTAssertThrowsError(try file.seek(toFrame: Self.sourceFrames + 1)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": cannot decode audio: cannot seek"), "\(error)")
        }
    }

    /// AAC's 1024 priming samples are dropped: the decoded signal lines up with the source.
    func testM4AIsAlignedWithTheSource() throws {
        let audio = try TestAudio()
        let m4a = try AudioFile(path: try encode("a.m4a", ["-c:a", "aac", "-b:a", "160k"], in: audio))
        let flac = try AudioFile(path: Self.source)
        let decoded = try m4a.readMono(frames: 44100 * 3)
        let original = try flac.readMono(frames: 44100 * 3)
        func lagCorrelation(_ lag: Int) -> Double {
            let range = 22050..<(44100 * 2)
            return FeaturesLibrosaTests.correlation(Array(decoded[range]), Array(original[(range.lowerBound + lag)..<(range.upperBound + lag)]))
        }
        let best = (-1100...1100).max { lagCorrelation($0) < lagCorrelation($1) }!
        XCTAssertEqual(best, 0, "no priming left in front of the signal")
        XCTAssertGreaterThan(lagCorrelation(0), 0.99)
    }

    func testOpusInMP4HasTheSourcesDuration() throws {
        let audio = try TestAudio()
        let path = try encode("a.mp4", ["-c:a", "libopus", "-b:a", "96k"], in: audio)
        let file = try AudioFile(path: path)
        XCTAssertEqual(file.sampleRate, 48000, "Opus decodes at 48 kHz")
        // 5 s at 48 kHz: the 312-sample pre-skip dropped, the last frame's padding cut.
        XCTAssertEqual(file.frameCount, 240_000)
        XCTAssertEqual(try readAll(file).count, 240_000 * 2)
    }

    /// Matroska counts milliseconds, so frames are not cut there: the demuxer's own discard
    /// padding gives the length. WMA is FFmpeg's wmav2 decoder's length (about 1 000 frames short
    /// of the source: its encoder delay is not signalled).
    func testOpusInWebMAndWMA() throws {
        let audio = try TestAudio()
        let webm = try AudioFile(path: try encode("a.webm", ["-c:a", "libopus"], in: audio))
        XCTAssertEqual(webm.frameCount, 240_000)
        let wma = try AudioFile(path: try encode("a.wma", ["-c:a", "wmav2"], in: audio))
        XCTAssertEqual(wma.sampleRate, 44100)
        XCTAssertEqual(Double(wma.frameCount), Double(Self.sourceFrames), accuracy: 2048)
        XCTAssertEqual(try readAll(wma).count, wma.frameCount * 2)
    }

    func testFeaturesFromM4AFollowTheFLACs() throws {
        let audio = try TestAudio()
        let m4a = try extract(try encode("a.m4a", ["-c:a", "aac", "-b:a", "128k"], in: audio))
        let flac = try extract(Self.source)
        XCTAssertEqual(m4a.tensors["rms"]!.shape, flac.tensors["rms"]!.shape, "same length, same rows")
        assertAllFinite(m4a)
        for (name, minimum) in [("rms", 0.99), ("onset", 0.9), ("centroid", 0.9)] {
            let r = FeaturesLibrosaTests.correlation(m4a.values(name), flac.values(name))
            XCTAssertGreaterThan(r, minimum, "\(name): r = \(r)")
        }
        XCTAssertEqual(m4a.values("tempo")[0], flac.values("tempo")[0], accuracy: 2)
    }

    /// Damaged or fake containers: a typed one-line error naming the file, or audio, never a crash.
    func testDamagedFilesGiveOneLineErrors() throws {
        let audio = try TestAudio()
        let good = try Data(contentsOf: URL(fileURLWithPath: try encode("a.m4a", ["-c:a", "aac"], in: audio)))
        let cases: [(String, Data)] = [
            ("head.m4a", good.prefix(600)),                                   // the header cut short
            ("half.m4a", good.prefix(good.count / 2)),                        // packets missing
            ("ftyp.m4a", Data([0, 0, 0, 24]) + Data("ftypM4A ".utf8) + Data(repeating: 0xff, count: 4000)),
            ("noise.m4a", Data((0..<good.count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })),
        ]
        for (name, bytes) in cases {
            let path = try audio.raw(name, bytes)
            do {
                let file = try AudioFile(path: path)
                _ = try readAll(file)
                try file.seek(toFrame: file.frameCount / 2)
            } catch let error as AudioError {
                XCTAssertTrue(error.description.hasPrefix(path + ": "), error.description)
                XCTAssertFalse(error.description.contains("\n"), error.description)
            }
        }
        // A container FFmpeg recognises says what is wrong with it, in FFmpeg's words; bytes it
        // does not recognise keep libsndfile's reason, whatever the file is called.
        let head = try audio.raw("cut.m4a", good.prefix(600))
        XCTAssertThrowsError(try AudioFile(path: head)) { error in
            XCTAssertEqual("\(error)", "\(head): cannot decode audio: opening the mov container failed (moov atom not found)")
        }
        let text = try audio.raw("notes.m4a", Data("this is not audio\n".utf8))
        XCTAssertThrowsError(try AudioFile(path: text)) { error in
            XCTAssertFalse("\(error)".contains("mov"), "\(error)")
        }
        // Flipped bytes all through the packets: whatever the decoder makes of them stays finite.
        var flipped = good
        for i in stride(from: 2000, to: flipped.count, by: 97) { flipped[i] ^= 0x5a }
        let path = try audio.raw("flipped.m4a", flipped)
        do {
            let file = try AudioFile(path: path)
            XCTAssertTrue(try readAll(file).allSatisfy(\.isFinite))
        } catch let error as AudioError {
            XCTAssertFalse(error.description.contains("\n"), error.description)
        }
    }
}
