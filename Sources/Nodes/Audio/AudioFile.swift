import Foundation

/// A sound file opened for streaming: through libsndfile (WAV, FLAC, Ogg Vorbis/Opus, MP3, ...)
/// when it reads the file, else through FFmpeg (M4A/AAC, Opus in MP4/WebM, WMA, ...; see
/// `FFmpegAudioDecoder`). Reads interleaved float32 blocks; never loads the whole file unless asked to.
public final class AudioFile {
    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// Length in sample frames (one frame = one sample per channel).
    public let frameCount: Int
    private var decoder: AudioDecoder
    /// The file's bytes for the decoder; kept alive as long as it.
    private let source: BufferedAudioSource
    /// Scratch for `readMono`'s interleaved frames.
    private var interleaved: [Float] = []

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw AudioError.missing(file: path) }
        source = try BufferedAudioSource(path: path)
        decoder = try AudioFile.open(source, path: path)
        sampleRate = decoder.sampleRate
        channels = decoder.channels
        // The header's frame count is a claim (2^63 - 1 for a FLAC written to a pipe, an estimate
        // for MP3); the decoder's output is the truth, so every user sees that length. Counting
        // decodes the file once, then it is opened afresh so reads start exactly as they would.
        if let known = DecodedLengths.shared.frames(of: source.identity) {
            frameCount = known
        } else {
            frameCount = try AudioFile.countFrames(decoder, channels: channels)
            DecodedLengths.shared.remember(frameCount, of: source.identity)
            source.rewind()
            decoder = try AudioFile.open(source, path: path)
        }
    }

    /// libsndfile first; FFmpeg for what it refuses, and for MP3: libsndfile stops an MP3 at its
    /// own length estimate, which for a variable-bit-rate file without a Xing/Info frame falls
    /// seconds short of the audio, while FFmpeg decodes to the end and trims the encoder's delay
    /// and padding from the LAME tag. When neither knows the file, libsndfile's reason is the
    /// one given (FFmpeg's would only say that no allowed container matched).
    /// How this file is decoded when that is not the default, for the keys of the nodes that
    /// read it: "ffmpeg-mp3" for MP3 (decoded by FFmpeg, not libsndfile), nil otherwise.
    public var decoderTag: String? {
        (decoder as? FFmpegAudioDecoder)?.containers == FFmpegAudioStream.mp3 ? "ffmpeg-mp3" : nil
    }

    private static func open(_ source: BufferedAudioSource, path: String) throws -> AudioDecoder {
        let sndfile: SndfileDecoder
        do {
            sndfile = try SndfileDecoder(source: source, path: path)
        } catch let refused {
            source.rewind()
            do {
                return try FFmpegAudioDecoder(source: source, path: path)
            } catch FFmpegAudioDecoder.NotRecognised.container {
                throw refused
            }
        }
        guard sndfile.isMPEG else { return sndfile }
        source.rewind()
        do {
            return try FFmpegAudioDecoder(source: source, path: path, containers: FFmpegAudioStream.mp3)
        } catch FFmpegAudioDecoder.NotRecognised.container {
            // Bytes libsndfile takes for MPEG audio and FFmpeg's probe does not: libsndfile reads them.
            source.rewind()
            return try SndfileDecoder(source: source, path: path)
        }
    }

    /// Decodes the whole stream through one scratch buffer of at most 1 MiB (whatever the header
    /// claims) and returns the frames the decoder delivered.
    private static func countFrames(_ decoder: AudioDecoder, channels: Int) throws -> Int {
        let block = max(1, scratchFloats / channels)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * channels)
        defer { scratch.deallocate() }
        var total = 0
        while true {
            let got = try decoder.read(block, into: scratch)
            if got == 0 { return total }
            total += got
        }
    }

    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// Moves the read position to sample frame `frame`.
    public func seek(toFrame frame: Int) throws { try decoder.seek(toFrame: frame) }

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

    /// Interleaved frames straight from the decoder (not yet sanitised); returns the frames read.
    private func readFrames(_ frames: Int, into buffer: UnsafeMutablePointer<Float>) throws -> Int {
        try decoder.read(frames, into: buffer)
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
