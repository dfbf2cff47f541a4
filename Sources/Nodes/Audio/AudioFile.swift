import CSndfile
import Foundation

/// A sound file opened for streaming through libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3, ...).
/// Reads interleaved float32 blocks; never loads the whole file unless asked to.
public final class AudioFile {
    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// Length in sample frames (one frame = one sample per channel).
    public let frameCount: Int
    private var handle: OpaquePointer?
    /// The file's bytes for libsndfile; kept alive as long as `handle`.
    private let source: BufferedAudioSource
    /// Scratch for `readMono`'s interleaved frames.
    private var interleaved: [Float] = []

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw AudioError.missing(file: path) }
        source = try BufferedAudioSource(path: path)
        var (h, info) = try AudioFile.open(source, path: path)
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        // The header's frame count is a claim (2^63 - 1 for a FLAC written to a pipe, an estimate
        // for MP3); the decoder's output is the truth, so every user sees that length. Counting
        // decodes the file once, then it is opened afresh so reads start exactly as they would.
        if let known = DecodedLengths.shared.frames(of: source.identity) {
            frameCount = known
        } else {
            do {
                frameCount = try AudioFile.countFrames(h, channels: channels, path: path)
            } catch {
                sf_close(h)
                throw error
            }
            DecodedLengths.shared.remember(frameCount, of: source.identity)
            sf_close(h)
            source.rewind()
            (h, _) = try AudioFile.open(source, path: path)
        }
        handle = h
    }

    /// Opens `source` through libsndfile, floats normalised to [-1, 1] for integer formats.
    private static func open(_ source: BufferedAudioSource, path: String) throws -> (OpaquePointer, SF_INFO) {
        var info = SF_INFO()
        guard let h = source.openSoundFile(info: &info) else {
            let reason = String(cString: sf_strerror(nil))
            throw AudioError.unreadable(file: path, reason: reason)
        }
        guard info.samplerate > 0, info.channels > 0 else {
            sf_close(h)
            throw AudioError.unreadable(file: path, reason: "no audio stream (sample rate \(info.samplerate), \(info.channels) channels)")
        }
        // Float formats pass through unscaled (and may hold NaN, Inf or huge values, which
        // readInterleaved and the extractor deal with).
        sf_command(h, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        return (h, info)
    }

    /// Decodes the whole stream through one scratch buffer of at most 1 MiB (whatever the header
    /// claims) and returns the frames the decoder delivered.
    private static func countFrames(_ handle: OpaquePointer, channels: Int, path: String) throws -> Int {
        let block = max(1, scratchFloats / channels)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * channels)
        defer { scratch.deallocate() }
        var total = 0
        while true {
            let got = sf_readf_float(handle, scratch, sf_count_t(block))
            if got < 0 || (got == 0 && sf_error(handle) != 0) {
                throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(handle)))
            }
            if got == 0 { return total }
            total += Int(got)
        }
    }

    deinit { if let h = handle { sf_close(h) } }

    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// Moves the read position to sample frame `frame`.
    public func seek(toFrame frame: Int) throws {
        guard sf_seek(handle, sf_count_t(frame), SEEK_SET) >= 0 else {
            // libsndfile seeks by decoding for compressed formats, so a failed seek usually means damaged data.
            throw AudioError.unreadable(file: path, reason: "cannot seek to frame \(frame) (\(String(cString: sf_strerror(handle))))")
        }
    }

    /// Reads up to `frames` sample frames, interleaved; fewer at the end of the file, empty when done.
    /// Non-finite samples (NaN/Inf in float files) are replaced by silence so they never reach the math.
    public func readInterleaved(frames: Int) throws -> [Float] {
        var buffer = [Float](repeating: 0, count: frames * channels)
        let got = try buffer.withUnsafeMutableBufferPointer { try readFrames(frames, into: $0.baseAddress!) }
        buffer.removeLast((frames - got) * channels)
        for i in buffer.indices where !buffer[i].isFinite { buffer[i] = 0 }
        return buffer
    }

    /// Reads up to `frames` sample frames mixed down to mono (mean of the channels).
    public func readMono(frames: Int) throws -> [Float] {
        var mono = [Float](repeating: 0, count: frames)
        let got = try mono.withUnsafeMutableBufferPointer { try readMono(frames: frames, into: $0.baseAddress!) }
        mono.removeLast(frames - got)
        return mono
    }

    /// Floats of interleaved scratch the reads that mix or count use, whatever the channel count.
    static let scratchFloats = 1 << 18

    /// As `readMono(frames:)`, into `out` (room for `frames` samples), through one interleaved
    /// buffer kept between calls; returns the number of frames read (fewer than asked for before
    /// the end of a file with many channels).
    public func readMono(frames: Int, into out: UnsafeMutablePointer<Float>) throws -> Int {
        if channels == 1 {
            let got = try readFrames(frames, into: out)
            for i in 0..<got where !out[i].isFinite { out[i] = 0 }
            return got
        }
        // At most 1 MiB of interleaved scratch: a file may declare up to 1024 channels.
        let frames = min(frames, max(1, AudioFile.scratchFloats / channels))
        if interleaved.count < frames * channels { interleaved = [Float](repeating: 0, count: frames * channels) }
        let channels = channels, scale = 1 / Float(channels)
        return try interleaved.withUnsafeMutableBufferPointer { buffer in
            let src = buffer.baseAddress!
            let got = try readFrames(frames, into: src)
            @inline(__always) func finite(_ v: Float) -> Float { v.isFinite ? v : 0 }
            if channels == 2 {
                // The general loop below for two channels, written out so that it vectorises.
                for i in 0..<got { out[i] = ((0 as Float) + finite(src[2 * i]) + finite(src[2 * i + 1])) * scale }
            } else {
                for i in 0..<got {
                    var sum: Float = 0
                    for c in 0..<channels { sum += finite(src[i * channels + c]) }
                    out[i] = sum * scale
                }
            }
            return got
        }
    }

    /// Interleaved frames straight from libsndfile (not yet sanitised); returns the frames read.
    private func readFrames(_ frames: Int, into buffer: UnsafeMutablePointer<Float>) throws -> Int {
        let got = sf_readf_float(handle, buffer, sf_count_t(frames))
        if got < 0 { throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(handle))) }
        if sf_error(handle) != 0 && got == 0 {
            throw AudioError.unreadable(file: path, reason: String(cString: sf_strerror(handle)))
        }
        return Int(got)
    }
}

/// The part of an audio file a track uses, in sample frames, after applying `trim`.
public struct AudioSpan: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var count: Int { end - start }

    /// `trimStart`/`trimEnd` in seconds; `trimEnd == nil` means the end of the file.
    public init(file: AudioFile, trimStart: Double, trimEnd: Double?) throws {
        let total = file.frameCount
        start = AudioSpan.frame(trimStart, rate: file.sampleRate, total: total)
        end = max(start, trimEnd.map { AudioSpan.frame($0, rate: file.sampleRate, total: total) } ?? total)
        guard end > start else {
            throw AudioError.empty(file: file.path, reason: total == 0 ? "the file has no samples" : "trim \(trimStart)..\(trimEnd.map { String($0) } ?? "end") leaves no audio")
        }
    }

    public var description: String { "\(start)..<\(end)" }

    /// `seconds` as a frame index in 0...total; computed in floating point first, because a trim
    /// of 1e300 s or infinity (the end of any file) does not fit an Int.
    static func frame(_ seconds: Double, rate: Int, total: Int) -> Int {
        let position = (seconds * Double(rate)).rounded()
        if position.isNaN || position <= 0 { return 0 }
        return position >= Double(total) ? total : Int(position)
    }
}

public enum AudioError: Error, CustomStringConvertible {
    case missing(file: String)
    case unreadable(file: String, reason: String)
    case empty(file: String, reason: String)

    /// One line even for a path with line breaks in it.
    public var description: String {
        switch self {
        case .missing(let file): return OneLine.escaped("\(file): audio file not found")
        case .unreadable(let file, let reason): return OneLine.escaped("\(file): cannot decode audio: \(reason)")
        case .empty(let file, let reason): return OneLine.escaped("\(file): no audio to render: \(reason)")
        }
    }
}
