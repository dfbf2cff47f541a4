import Foundation
import XCTest
@testable import Nodes

/// Track MP4s and the album cut, checked with ffprobe.
final class MediaTests: XCTestCase {
    static let settings = VideoSettings(width: 160, height: 90, fps: 30, crf: 23, preset: "veryfast", threads: 2)

    /// Encodes a track of `seconds` of sine audio with the matching number of frames.
    @discardableResult
    func encodeTrack(_ path: String, seconds: Double, rate: Int = 44_100, channels: Int = 2, seed: Int = 0,
                     settings: VideoSettings = MediaTests.settings, metadata: [String: String] = [:]) throws -> Int {
        let audio = MediaFixtures.sine(seconds: seconds, rate: rate, channels: channels)
        let frames = FrameTiming(sampleRate: rate, fps: settings.fps).frameCount(samples: audio.totalFrames)
        let encoder = try TrackEncoder(path: path, video: settings, audio: audio, audioBitrate: "128k", metadata: metadata)
        for i in 0..<frames { try encoder.encode(MediaFixtures.frame(i + seed, width: settings.width, height: settings.height)) }
        try encoder.finish()
        return frames
    }

    func testTrackHasH264AndAACWithMatchingDurationsTagsAndFaststart() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("t.mp4").path
        let tags = ["title": "Opening Theme", "artist": "Test Artist", "album": "Test Album", "track": "1/3"]
        let frames = try encodeTrack(path, seconds: 2.5, metadata: tags)
        XCTAssertEqual(frames, 75)

        let probe = try MediaFixtures.probe(path, ["-show_streams", "-show_format", "-count_frames"])
        let video = try XCTUnwrap(MediaFixtures.stream(probe, type: "video"))
        let audio = try XCTUnwrap(MediaFixtures.stream(probe, type: "audio"))
        XCTAssertEqual(video["codec_name"] as? String, "h264")
        XCTAssertEqual(video["pix_fmt"] as? String, "yuv420p")
        XCTAssertEqual(video["width"] as? Int, 160)
        XCTAssertEqual(video["nb_read_frames"] as? String, "75")
        XCTAssertEqual(video["color_space"] as? String, "bt709")
        XCTAssertEqual(audio["codec_name"] as? String, "aac")
        XCTAssertEqual(audio["sample_rate"] as? String, "48000")
        XCTAssertEqual(audio["channels"] as? Int, 2)
        let vd = try XCTUnwrap(MediaFixtures.double(video["duration"]))
        let ad = try XCTUnwrap(MediaFixtures.double(audio["duration"]))
        XCTAssertEqual(vd, 2.5, accuracy: 1.0 / 30)
        XCTAssertEqual(ad, 2.5, accuracy: 0.001)
        XCTAssertEqual(vd, ad, accuracy: 1.0 / 30)

        let format = try XCTUnwrap(probe["format"] as? [String: Any])
        let probedTags = format["tags"] as? [String: String] ?? [:]
        XCTAssertEqual(probedTags["title"], "Opening Theme")
        XCTAssertEqual(probedTags["artist"], "Test Artist")
        XCTAssertEqual(probedTags["album"], "Test Album")
        XCTAssertEqual(probedTags["track"], "1/3")
        XCTAssertNil(probedTags["encoder"], "bitexact: no library version tag")
        XCTAssertNil(probedTags["creation_time"])

        let atoms = try MediaFixtures.atomOffsets(path).map(\.type)
        let moov = try XCTUnwrap(atoms.firstIndex(of: "moov"))
        let mdat = try XCTUnwrap(atoms.firstIndex(of: "mdat"))
        XCTAssertLessThan(moov, mdat, "faststart: moov before mdat, got \(atoms)")
    }

    func testTrackEncodingIsDeterministic() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let a = dir.appendingPathComponent("a.mp4").path, b = dir.appendingPathComponent("b.mp4").path
        try encodeTrack(a, seconds: 2, metadata: ["title": "x"])
        try encodeTrack(b, seconds: 2, metadata: ["title": "x"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    func testProfileAndKeyframeIntervalAreApplied() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("gop.mp4").path
        var settings = Self.settings
        settings.profile = "high"
        settings.keyframeInterval = 10
        try encodeTrack(path, seconds: 2, settings: settings)
        let probe = try MediaFixtures.probe(path, ["-show_streams", "-select_streams", "v", "-show_entries", "packet=pts,flags"])
        let video = try XCTUnwrap(MediaFixtures.stream(probe, type: "video"))
        XCTAssertEqual(video["profile"] as? String, "High")
        let packets = probe["packets"] as? [[String: Any]] ?? []
        let keyframes = packets.filter { ($0["flags"] as? String)?.hasPrefix("K") == true }.compactMap { $0["pts"] as? Int }.sorted()
        XCTAssertGreaterThanOrEqual(keyframes.count, 6, "60 frames with keyint 10")
        let timeBase = try XCTUnwrap((video["time_base"] as? String)?.split(separator: "/").last.flatMap { Int($0) })
        let frameTicks = timeBase / 30
        for (a, b) in zip(keyframes, keyframes.dropFirst()) { XCTAssertLessThanOrEqual((b - a) / frameTicks, 10) }
    }

    func testColoursSurviveTheBT709RoundTrip() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("colour.mp4").path
        var flat = RGBImage(width: 160, height: 90)
        let colour: [UInt8] = [200, 40, 90]
        for p in 0..<(160 * 90) { for c in 0..<3 { flat.pixels[p * 3 + c] = colour[c] } }
        let encoder = try TrackEncoder(path: path, video: Self.settings, audio: MediaFixtures.sine(seconds: 0.2),
                                       audioBitrate: "64k", metadata: [:])
        for _ in 0..<6 { try encoder.encode(flat) }
        try encoder.finish()
        // Decode the first frame with the ffmpeg CLI, which honours the stream's colour tags.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(data.count, 160 * 90 * 3)
        let centre = (45 * 160 + 80) * 3
        for c in 0..<3 {
            XCTAssertEqual(Double(data[data.startIndex + centre + c]), Double(colour[c]), accuracy: 4, "channel \(c)")
        }
    }

    func testMonoAndSurroundSourcesBecomeStereo48k() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        for (channels, rate) in [(1, 22_050), (6, 48_000)] {
            let path = dir.appendingPathComponent("c\(channels).mp4").path
            try encodeTrack(path, seconds: 1, rate: rate, channels: channels)
            let probe = try MediaFixtures.probe(path)
            let audio = try XCTUnwrap(MediaFixtures.stream(probe, type: "audio"))
            XCTAssertEqual(audio["channels"] as? Int, 2)
            XCTAssertEqual(audio["sample_rate"] as? String, "48000")
            XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(audio["duration"])), 1.0, accuracy: 0.001)
        }
    }

    func testSourceShorterThanDeclaredIsPaddedWithSilence() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("short.mp4").path
        var audio = MediaFixtures.sine(seconds: 1)
        audio.totalFrames = 2 * 44_100  // the reader only has one second
        let encoder = try TrackEncoder(path: path, video: Self.settings, audio: audio, audioBitrate: "96k", metadata: [:])
        for i in 0..<60 { try encoder.encode(MediaFixtures.frame(i, width: 160, height: 90)) }
        try encoder.finish()
        let audioStream = try XCTUnwrap(MediaFixtures.stream(try MediaFixtures.probe(path), type: "audio"))
        XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(audioStream["duration"])), 2.0, accuracy: 0.001)
    }

    func testInvalidSettingsThrowClearErrors() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("bad.mp4").path
        var settings = Self.settings
        settings.threads = 0
        XCTAssertThrowsError(try TrackEncoder(path: path, video: settings, audio: MediaFixtures.sine(seconds: 1), audioBitrate: "128k", metadata: [:])) {
            XCTAssertTrue(String(describing: $0).contains("threads"), String(describing: $0))
        }
        XCTAssertThrowsError(try TrackEncoder(path: path, video: Self.settings, audio: MediaFixtures.sine(seconds: 1), audioBitrate: "loud", metadata: [:])) {
            XCTAssertTrue(String(describing: $0).contains("bitrate"), String(describing: $0))
        }
        settings = Self.settings
        settings.preset = "ludicrous"
        XCTAssertThrowsError(try TrackEncoder(path: path, video: settings, audio: MediaFixtures.sine(seconds: 1), audioBitrate: "128k", metadata: [:])) {
            XCTAssertTrue(String(describing: $0).contains(path), String(describing: $0))
        }
    }

    func testVideoMuchShorterThanAudioIsRefused() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let path = dir.appendingPathComponent("short-video.mp4").path
        let encoder = try TrackEncoder(path: path, video: Self.settings, audio: MediaFixtures.sine(seconds: 1),
                                       audioBitrate: "64k", metadata: [:])
        for i in 0..<20 { try encoder.encode(MediaFixtures.frame(i, width: 160, height: 90)) }
        XCTAssertThrowsError(try encoder.finish()) {
            XCTAssertTrue(String(describing: $0).contains("20 video frames"), String(describing: $0))
        }
    }

    func testAlbumConcatenatesTracksWithChapters() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let lengths = [2.0, 1.5, 2.2]
        let titles = ["First", "Second", "Third"]
        var paths: [String] = []
        var chapters: [Chapter] = []
        var start = 0.0
        for (i, seconds) in lengths.enumerated() {
            let path = dir.appendingPathComponent("track\(i).mp4").path
            let frames = try encodeTrack(path, seconds: seconds, seed: i * 100)
            paths.append(path)
            let end = start + Double(frames) / 30
            chapters.append(Chapter(title: titles[i], start: start, end: end))
            start = end
        }
        let total = lengths.reduce(0, +)
        let album = dir.appendingPathComponent("album.mp4").path
        func mux(_ output: String) throws {
            try AlbumMuxer.mux(trackVideos: paths, chapters: chapters, audio: MediaFixtures.sine(seconds: total),
                               audioBitrate: "128k", metadata: ["title": "The Album", "artist": "Test Artist"], output: output)
        }
        try mux(album)

        let probe = try MediaFixtures.probe(album, ["-show_streams", "-show_format", "-show_chapters", "-count_frames"])
        let probedChapters = probe["chapters"] as? [[String: Any]] ?? []
        XCTAssertEqual(probedChapters.count, 3)
        XCTAssertEqual(probedChapters.compactMap { ($0["tags"] as? [String: String])?["title"] }, titles)
        for (probed, expected) in zip(probedChapters, chapters) {
            XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(probed["start_time"])), expected.start, accuracy: 0.002)
            XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(probed["end_time"])), expected.end, accuracy: 0.002)
        }
        let video = try XCTUnwrap(MediaFixtures.stream(probe, type: "video"))
        let audio = try XCTUnwrap(MediaFixtures.stream(probe, type: "audio"))
        XCTAssertEqual(video["codec_name"] as? String, "h264")
        XCTAssertEqual(audio["codec_name"] as? String, "aac")
        let expectedFrames = lengths.map { Int(($0 * 30).rounded()) }.reduce(0, +)
        XCTAssertEqual(video["nb_read_frames"] as? String, String(expectedFrames))
        XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(video["duration"])), total, accuracy: 1.0 / 30)
        XCTAssertEqual(try XCTUnwrap(MediaFixtures.double(audio["duration"])), total, accuracy: 0.001)
        let tags = (probe["format"] as? [String: Any])?["tags"] as? [String: String] ?? [:]
        XCTAssertEqual(tags["title"], "The Album")
        let atoms = try MediaFixtures.atomOffsets(album).map(\.type)
        XCTAssertLessThan(try XCTUnwrap(atoms.firstIndex(of: "moov")), try XCTUnwrap(atoms.firstIndex(of: "mdat")))

        // The copied video decodes without errors across the joins.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["ffmpeg", "-v", "error", "-xerror", "-i", album, "-f", "null", "-"]
        let errors = Pipe()
        check.standardError = errors
        try check.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, errorText)
        XCTAssertEqual(errorText, "")

        let again = dir.appendingPathComponent("album2.mp4").path
        try mux(again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: album)), try Data(contentsOf: URL(fileURLWithPath: again)))
    }

    func testAlbumRefusesTracksWithDifferentSettings() throws {
        let dir = try MediaFixtures.scratchDirectory()
        defer { MediaFixtures.cleanUp(dir) }
        let a = dir.appendingPathComponent("a.mp4").path, b = dir.appendingPathComponent("b.mp4").path
        try encodeTrack(a, seconds: 1)
        var other = Self.settings
        other.width = 128
        other.height = 72
        try encodeTrack(b, seconds: 1, settings: other)
        XCTAssertThrowsError(try AlbumMuxer.mux(trackVideos: [a, b], chapters: [], audio: MediaFixtures.sine(seconds: 2),
                                                audioBitrate: "128k", metadata: [:], output: dir.appendingPathComponent("x.mp4").path)) {
            let text = String(describing: $0)
            XCTAssertTrue(text.contains(b) && text.contains("size"), text)
        }
    }
}
