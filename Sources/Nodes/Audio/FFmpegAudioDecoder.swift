import CFFmpeg

/// FFmpeg (libavformat, libavcodec, libswresample) behind `AudioDecoder`, for the files libsndfile
/// does not read: AAC/ALAC in M4A, Opus in MP4/WebM/Matroska, WMA, ADTS AAC, AC-3.
///
/// Lengths. libavcodec drops the encoder's priming (the first packet's skip-samples side data,
/// which the MP4 demuxer takes from the edit list and the Ogg one from Opus' pre-skip), but not
/// the padding of the last frame: an AAC track in MP4 decodes to a whole number of 1024-sample
/// frames. Where packet timestamps count samples (a time base no coarser than a sample, as in
/// MP4 and Ogg), every frame is cut at the last packet's end (its pts plus duration, which the
/// MP4 demuxer sets from the edit list), so M4A and Opus files decode to the source's length.
/// Matroska and ASF count milliseconds, so their frames are kept whole.
///
/// Seeking is exact and simple: forwards it decodes and drops frames; backwards it reopens the
/// stream and does the same from the start, so the priming is handled as on the first pass.
/// The graph seeks once per open, to the start of a track's trim.
final class FFmpegAudioDecoder: AudioDecoder {
    /// No allowed container matched the bytes: the file is not audio FFmpeg should try.
    enum NotRecognised: Error { case container }

    let sampleRate: Int
    let channels: Int
    private let path: String
    private let source: BufferedAudioSource
    let containers: String
    private var stream: FFmpegAudioStream
    /// The current frame's interleaved samples and how many of its frames were already read.
    private var pending: [Float] = []
    private var consumed = 0
    /// Frames returned (or skipped by a seek) since the start.
    private var position = 0

    /// Opens the stream at the source's current position (the first byte). `containers`: the
    /// demuxers allowed (`FFmpegAudioStream.mp3` for a file libsndfile found to be MP3).
    init(source: BufferedAudioSource, path: String, containers: String = FFmpegAudioStream.containers) throws {
        self.path = path
        self.source = source
        self.containers = containers
        stream = try FFmpegAudioStream(source: source, path: path, containers: containers)
        // The first frame's format is the stream's (see FFmpegAudioStream.convert).
        _ = try stream.next(into: &pending)
        sampleRate = stream.sampleRate
        channels = stream.channels
    }

    func read(_ frames: Int, into buffer: UnsafeMutablePointer<Float>) throws -> Int {
        var done = 0
        while done < frames {
            let available = pending.count / channels - consumed
            if available == 0 {
                guard try refill() else { break }
                continue
            }
            let n = min(available, frames - done)
            pending.withUnsafeBufferPointer { src in
                (buffer + done * channels).update(from: src.baseAddress! + consumed * channels, count: n * channels)
            }
            consumed += n
            done += n
        }
        position += done
        return done
    }

    /// The next frame into `pending`; at the end `pending` is emptied, so the end stays the end.
    private func refill() throws -> Bool {
        consumed = 0
        if try stream.next(into: &pending) { return true }
        pending = []
        return false
    }

    func seek(toFrame frame: Int) throws {
        if frame < position {
            source.rewind()
            stream = try FFmpegAudioStream(source: source, path: path, containers: containers)
            pending = []
            consumed = 0
            position = 0
        }
        var remaining = frame - position
        while remaining > 0 {
            let available = pending.count / channels - consumed
            if available == 0 {
                guard try refill() else {
                    throw AudioError.unreadable(file: path, reason: "cannot seek to frame \(frame): the stream ends at frame \(position)")
                }
                continue
            }
            let n = min(available, remaining)
            consumed += n
            remaining -= n
            position += n
        }
    }
}
