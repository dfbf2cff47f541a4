import Foundation
import XCTest

/// Sources whose header misstates their length render for exactly as long as they decode: a
/// FLAC written to a pipe (no length in its header) and MP3s whose estimated length is far off.
final class AudioLengthCLITests: XCTestCase {
    /// Runs `script` with /bin/sh in `directory`; returns the exit status and stderr.
    @discardableResult
    func shell(_ script: String, in directory: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Seconds of audio in `path` as the ffmpeg CLI decodes it (an independent decoder).
    func decodedSeconds(_ path: String, rate: Int) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", String(rate), "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile().count
        process.waitUntilExit()
        return Double(bytes / 2) / Double(rate)
    }

    /// Video and audio stream durations of an MP4, by ffprobe.
    func durations(_ path: String) throws -> (video: Double, audio: Double) {
        let streams = try CLI.probe(path)["streams"] as? [[String: Any]] ?? []
        func duration(_ type: String) -> Double {
            Double(streams.first { $0["codec_type"] as? String == type }?["duration"] as? String ?? "") ?? -1
        }
        return (duration("video"), duration("audio"))
    }

    func buildfile(_ one: String, _ two: String) -> String {
        TestProject.buildfile.replacingOccurrences(of: "audio/one.wav", with: one).replacingOccurrences(of: "audio/two.wav", with: two)
    }

    /// libsndfile reports 2^63 - 1 frames for a FLAC whose encoder could not seek back to write
    /// its length; the build must neither allocate for that (here: under a 3 GB address-space
    /// limit, so a regression fails fast instead of exhausting the machine) nor pad.
    func testFLACWrittenToAPipeRendersItsDecodedLength() throws {
        let p = try TestProject()
        try shell("ffmpeg -v error -i audio/one.wav -f flac - | cat > audio/one.flac", in: p.root)
        try p.write("Buildfile.yaml", buildfile("audio/one.flac", "audio/two.wav"))
        let build = try shell("ulimit -v 3000000; exec '\(CLI.binary)' track:one", in: p.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let (video, audio) = try durations(p.latest + "/one.mp4")
        XCTAssertEqual(video, 3.0, accuracy: 1.0 / 12)
        XCTAssertEqual(audio, 3.0, accuracy: 1.0 / 12)
    }

    func testEmptyFLACIsAOneLineError() throws {
        let p = try TestProject()
        try shell("ffmpeg -v error -f lavfi -i anullsrc=r=22050:cl=stereo -t 0 -f flac - | cat > audio/empty.flac", in: p.root)
        try p.write("Buildfile.yaml", buildfile("audio/empty.flac", "audio/two.wav"))
        let build = try shell("ulimit -v 3000000; exec '\(CLI.binary)' -n", in: p.root)
        XCTAssertEqual(build.status, 65)
        XCTAssertEqual(build.stderr, "ntsbuild: error: \(p.root)/audio/empty.flac: no audio to render: the file has no samples\n")
    }

    /// MP3s without a Xing frame and with a large ID3 tag: libsndfile estimates each at over
    /// three times its length. Tracks and album last as long as the decoded audio.
    func testMP3TracksAndAlbumLastAsLongAsTheDecodedAudio() throws {
        let comment = String(repeating: "x", count: 60_000)
        try checkMP3TracksAndAlbum(lameOptions: "-b:a 64k -write_xing 0 -metadata comment=\(comment)")
    }

    /// A plain CBR MP3 without a Xing/Info frame: its length is only known by decoding it
    /// (libsndfile's estimate comes from the file size and the first frame's bitrate).
    func testCBRMP3WithoutXingFrameLastsAsLongAsTheDecodedAudio() throws {
        try checkMP3TracksAndAlbum(lameOptions: "-b:a 128k -write_xing 0")
    }

    /// The same with the Xing/Info frame LAME writes by default (it states the frame count and
    /// the encoder's delay and padding).
    /// A variable-bit-rate MP3 without a Xing/Info frame: libsndfile's length estimate falls
    /// seconds short of it, so MP3 is decoded by FFmpeg, to its end.
    func testVBRMP3WithoutXingFrameLastsAsLongAsTheDecodedAudio() throws {
        try checkMP3TracksAndAlbum(lameOptions: "-q:a 4 -write_xing 0")
    }

    func testCBRMP3WithXingFrameLastsAsLongAsTheDecodedAudio() throws {
        try checkMP3TracksAndAlbum(lameOptions: "-b:a 128k")
    }

    /// Encodes both test tracks to MP3 with `lameOptions`, builds the album and checks that each
    /// track's video and audio last as long as its decoded audio (within one frame), and the
    /// album as long as their sum (within one frame per track: no silence at the join).
    func checkMP3TracksAndAlbum(lameOptions: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try TestProject()
        for name in ["one", "two"] {
            let status = try shell("ffmpeg -v error -i audio/\(name).wav -c:a libmp3lame \(lameOptions) audio/\(name).mp3", in: p.root).status
            XCTAssertEqual(status, 0, file: file, line: line)
        }
        try p.write("Buildfile.yaml", buildfile("audio/one.mp3", "audio/two.mp3"))
        let build = try p.ntsbuild("album")
        XCTAssertEqual(build.status, 0, build.stderr, file: file, line: line)
        // Track two is trimmed by 0.5 s at the start.
        let one = try decodedSeconds(p.root + "/audio/one.mp3", rate: 22050)
        let two = try decodedSeconds(p.root + "/audio/two.mp3", rate: 22050) - 0.5
        XCTAssertEqual(one, 3.0, accuracy: 0.1, "the MP3 decodes to about the 3 s encoded", file: file, line: line)
        for (name, seconds) in [("one", one), ("two", two)] {
            let (video, audio) = try durations(p.latest + "/\(name).mp4")
            XCTAssertEqual(video, seconds, accuracy: 1.0 / 12, "\(name) video", file: file, line: line)
            XCTAssertEqual(audio, seconds, accuracy: 1.0 / 12, "\(name) audio", file: file, line: line)
        }
        let (video, audio) = try durations(p.latest + "/album.mp4")
        XCTAssertEqual(video, one + two, accuracy: 2.0 / 12, "album video: one frame per track, no silence at the join", file: file, line: line)
        XCTAssertEqual(audio, one + two, accuracy: 2.0 / 12, "album audio", file: file, line: line)
    }

    /// M4A (AAC) sources, which libsndfile does not read, render through FFmpeg's decoder: the
    /// tracks last as long as the sources (priming and padding trimmed; track two from its trim
    /// at 0.5 s, a seek into the AAC stream) and so does the album cut.
    func testM4ATracksAndAlbumRender() throws {
        let p = try TestProject()
        for name in ["one", "two"] {
            XCTAssertEqual(try shell("ffmpeg -v error -i audio/\(name).wav -c:a aac -b:a 128k audio/\(name).m4a", in: p.root).status, 0)
        }
        try p.write("Buildfile.yaml", buildfile("audio/one.m4a", "audio/two.m4a"))
        let build = try p.ntsbuild()
        XCTAssertEqual(build.status, 0, build.stderr)
        for (name, seconds) in [("one", 3.0), ("two", 2.0), ("album", 5.0)] {
            let (video, audio) = try durations(p.latest + "/\(name).mp4")
            XCTAssertEqual(video, seconds, accuracy: 1.0 / 12, name)
            XCTAssertEqual(audio, seconds, accuracy: 1.0 / 12, name)
            XCTAssertEqual(try decodedSeconds(p.latest + "/\(name).mp4", rate: 22050), seconds, accuracy: 0.05, name)
        }
        // A damaged M4A is a one-line error naming it.
        try Data("....ftypM4A junk".utf8).write(to: URL(fileURLWithPath: p.root + "/audio/one.m4a"))
        let bad = try p.ntsbuild("track:one")
        XCTAssertEqual(bad.status, 65, "a bad input file")
        XCTAssertTrue(bad.lastErrorLine.contains("audio/one.m4a: cannot decode audio"), bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, "FFmpeg's own message is in the error, not a line of its own: \(bad.stderr)")
    }
}
