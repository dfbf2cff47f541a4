import Foundation

/// The album cut with crossfades: each track's last `overlap` frames are blended with the next
/// track's first ones (video decoded from the track MP4s and re-encoded once; audio mixed from
/// the source PCM with the same linear ramps), so the album is shorter than the sum of its
/// tracks by one overlap per join. Everything streams: at most two decoders and two audio
/// files are open at a join, and no track is held in memory.
struct CrossfadeCut {
    /// A stretch of output: one source alone, or the tail of one blended into the head of the next.
    enum Piece {
        case alone(track: Int, count: Int)
        case blend(from: Int, count: Int)
    }

    /// Pieces for tracks of `lengths` units (frames or samples) with `overlap` units per join.
    static func pieces(lengths: [Int], overlap: Int) -> [Piece] {
        var pieces: [Piece] = []
        for (i, length) in lengths.enumerated() {
            let head = i > 0 ? overlap : 0, tail = i < lengths.count - 1 ? overlap : 0
            pieces.append(.alone(track: i, count: length - head - tail))
            if tail > 0 { pieces.append(.blend(from: i, count: overlap)) }
        }
        return pieces
    }

    /// The weight of the incoming track at step `j` of an `n`-step join (never 0 or 1, so every
    /// blended frame mixes both).
    static func rampWeight(_ j: Int, of n: Int) -> Float { (Float(j) + 0.5) / Float(n) }

    /// Encodes the cut of `videos` (track MP4s, `frames` each) and `audio` into one MP4.
    static func encode(videos: [String], frames: [Int], overlap: Int, audio: AudioInput, video: VideoSettings,
                       audioBitrate: String, metadata: [String: String], chapters: [Chapter], output: String,
                       checkCancellation: () throws -> Void) throws {
        let encoder = try TrackEncoder(path: output, video: video, audio: audio, audioBitrate: audioBitrate,
                                       metadata: metadata, chapters: chapters)
        var readers: [Int: ShardReader] = [:]
        func reader(_ i: Int) throws -> ShardReader {
            if let r = readers[i] { return r }
            let r = try ShardReader(path: videos[i])
            guard r.width == video.width, r.height == video.height else {
                throw MediaError.invalid(file: videos[i], reason: "track video is \(r.width)x\(r.height), the album \(video.width)x\(video.height)")
            }
            readers[i] = r
            return r
        }
        func next(_ i: Int) throws -> RGBImage {
            guard let image = try reader(i).next() else { throw MediaError.invalid(file: videos[i], reason: "track video ended early") }
            return image
        }
        for piece in pieces(lengths: frames, overlap: overlap) {
            switch piece {
            case .alone(let track, let count):
                for _ in 0..<count {
                    try checkCancellation()
                    try encoder.encode(try next(track))
                }
            case .blend(let from, let count):
                for j in 0..<count {
                    try checkCancellation()
                    var outgoing = try next(from)
                    let incoming = try next(from + 1)
                    let w = rampWeight(j, of: count)
                    for p in outgoing.pixels.indices {
                        outgoing.pixels[p] = UInt8((Float(outgoing.pixels[p]) * (1 - w) + Float(incoming.pixels[p]) * w).rounded())
                    }
                    try encoder.encode(outgoing)
                }
                readers[from] = nil  // done with the outgoing track
            }
        }
        try encoder.finish()
    }

    /// The tracks' trimmed source audio one after the other, with `overlap` sample frames mixed
    /// at each join (0: plain gapless concatenation, the stream-copy cut's audio).
    static func audio(files: [AudioFile], spans: [AudioSpan], overlap: Int) throws -> AudioInput {
        let channels = files[0].channels
        let pieces = pieces(lengths: spans.map(\.count), overlap: overlap)
        for (file, span) in zip(files, spans) { try file.seek(toFrame: span.start) }
        var index = 0, done = 0
        // Reads exactly `n` frames (padding a short read with silence, as AudioInput does).
        func read(_ file: AudioFile, _ n: Int) throws -> [Float] {
            var out: [Float] = []
            while out.count < n * channels {
                let block = try file.readInterleaved(frames: n - out.count / channels)
                if block.isEmpty { break }
                out += block
            }
            return out + [Float](repeating: 0, count: n * channels - out.count)
        }
        let total = spans.map(\.count).reduce(0, +) - overlap * (spans.count - 1)
        return AudioInput(sampleRate: files[0].sampleRate, channels: channels, totalFrames: total) { n in
            while index < pieces.count {
                switch pieces[index] {
                case .alone(let track, let count) where done < count:
                    let take = min(n, count - done)
                    done += take
                    return try read(files[track], take)
                case .blend(let from, let count) where done < count:
                    let take = min(n, count - done)
                    var a = try read(files[from], take)
                    let b = try read(files[from + 1], take)
                    for f in 0..<take {
                        let w = rampWeight(done + f, of: count)
                        for c in 0..<channels { a[f * channels + c] = a[f * channels + c] * (1 - w) + b[f * channels + c] * w }
                    }
                    done += take
                    return a
                default:
                    index += 1
                    done = 0
                }
            }
            return []
        }
    }
}
