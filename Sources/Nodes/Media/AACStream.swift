import CFFmpeg

/// The audio half of a track or album: pulls PCM from an `AudioInput`, resamples it with
/// libswresample to 48 kHz stereo planar float, cuts it into AAC frames through an AVAudioFifo,
/// and encodes it with FFmpeg's native AAC encoder into a stream of a `MediaOutput`.
///
/// The caller decides how far to read (`pull(toSourceFrame:)`), which keeps the muxer's
/// interleaving queue — and memory — small however long the audio is.
final class AACStream {
    static let outputRate = 48_000
    static let outputChannels: Int32 = 2

    private let input: AudioInput
    private let output: MediaOutput
    private let encoder: MediaEncoder
    private var resampler: OpaquePointer?
    private let fifo: OpaquePointer
    private let frame: OwnedFrame
    private let frameSize: Int
    private var left: [Float] = []
    private var right: [Float] = []
    /// Source sample frames consumed so far (never more than input.totalFrames).
    private(set) var consumed = 0
    private var encodedSamples: Int64 = 0
    private var finished = false

    var path: String { output.path }

    init(input: AudioInput, bitrate: String, output: MediaOutput) throws {
        let path = output.path
        guard input.sampleRate > 0, input.channels > 0, input.totalFrames >= 0 else {
            throw MediaError.invalid(file: path, reason: "audio input \(input.sampleRate) Hz × \(input.channels) channels is not valid")
        }
        self.input = input
        self.output = output
        encoder = try MediaEncoder(name: "aac", path: path)
        let ctx = encoder.context
        ctx.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        ctx.pointee.sample_rate = Int32(Self.outputRate)
        av_channel_layout_default(&ctx.pointee.ch_layout, Self.outputChannels)
        ctx.pointee.bit_rate = Int64(try parseBitrate(bitrate, file: path))
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(Self.outputRate))
        try encoder.open(adding: output)
        // The encoder's frame size (1024 for AAC-LC); every frame but the last must be full.
        frameSize = Int(ctx.pointee.frame_size)

        guard let fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, Self.outputChannels, Int32(frameSize * 4)) else {
            throw MediaError.ffmpeg(file: path, operation: "allocating the audio FIFO", code: cffmpeg_averror(ENOMEM))
        }
        self.fifo = fifo
        frame = try OwnedFrame(path: path)
        let f = frame.frame
        f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointee.sample_rate = Int32(Self.outputRate)
        f.pointee.nb_samples = Int32(frameSize)
        try check(av_channel_layout_copy(&f.pointee.ch_layout, &ctx.pointee.ch_layout), "setting the channel layout", file: path)
        try check(av_frame_get_buffer(f, 0), "allocating an audio frame", file: path)

        // Mono is duplicated to both channels before resampling (swresample's default mono→stereo
        // matrix would attenuate it by 3 dB); more than two channels use swresample's standard
        // downmix for the default layout of that channel count (e.g. 5.1 → stereo).
        var inLayout = AVChannelLayout()
        av_channel_layout_default(&inLayout, Int32(input.channels == 1 ? 2 : input.channels))
        defer { av_channel_layout_uninit(&inLayout) }
        try check(swr_alloc_set_opts2(&resampler, &ctx.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, Int32(Self.outputRate),
                                      &inLayout, AV_SAMPLE_FMT_FLT, Int32(input.sampleRate), 0, nil),
                  "configuring the resampler", file: path)
        try check(swr_init(resampler), "configuring the resampler for \(input.channels) channels at \(input.sampleRate) Hz", file: path)
    }

    deinit {
        swr_free(&resampler)
        av_audio_fifo_free(fifo)
    }

    /// Reads, resamples and encodes source audio until `target` source frames (clamped to the
    /// total) have been consumed. Only whole AAC frames are encoded; the rest waits in the FIFO.
    func pull(toSourceFrame target: Int) throws {
        let limit = min(target, input.totalFrames)
        while consumed < limit {
            let want = min(4096, limit - consumed)
            var samples = try input.read(want)
            let channels = input.channels
            if samples.count % channels != 0 {
                throw MediaError.invalid(file: path, reason: "audio read returned \(samples.count) samples, not a multiple of \(channels) channels")
            }
            if samples.isEmpty {
                // The source ended before totalFrames (decoders can overstate a length): pad with
                // silence so the audio still lasts as long as the video was timed for.
                samples = [Float](repeating: 0, count: want * channels)
            } else if samples.count > want * channels {
                samples.removeLast(samples.count - want * channels)
            }
            let frames = samples.count / channels
            if channels == 1 {
                var stereo = [Float](repeating: 0, count: frames * 2)
                for i in 0..<frames { stereo[2 * i] = samples[i]; stereo[2 * i + 1] = samples[i] }
                samples = stereo
            }
            try resample(samples, frames: frames)
            consumed += frames
            try encodeQueued(final: false)
        }
    }

    /// Consumes the rest of the input, flushes resampler and encoder. Call once, before the trailer.
    func finish() throws {
        guard !finished else { return }
        try pull(toSourceFrame: input.totalFrames)
        finished = true
        try resample(nil, frames: 0)
        try encodeQueued(final: true)
        try encoder.flush(to: output)
    }

    /// Source sample frames needed to cover audio up to `seconds`.
    func sourceFrames(at seconds: Double) -> Int {
        Int((seconds * Double(input.sampleRate)).rounded(.up))
    }

    // Converts interleaved float input (nil flushes the resampler's delay line) into the FIFO.
    private func resample(_ interleaved: [Float]?, frames: Int) throws {
        let capacity = Int(swr_get_out_samples(resampler, Int32(frames))) + 32
        if left.count < capacity {
            left = [Float](repeating: 0, count: capacity)
            right = [Float](repeating: 0, count: capacity)
        }
        let produced: Int32 = left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                var out: [UnsafeMutablePointer<UInt8>?] = [
                    UnsafeMutableRawPointer(l.baseAddress!).assumingMemoryBound(to: UInt8.self),
                    UnsafeMutableRawPointer(r.baseAddress!).assumingMemoryBound(to: UInt8.self),
                ]
                guard let interleaved else {
                    return swr_convert(resampler, &out, Int32(capacity), nil, 0)
                }
                return interleaved.withUnsafeBufferPointer { src in
                    var inp: [UnsafePointer<UInt8>?] = [UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: UInt8.self)]
                    return swr_convert(resampler, &out, Int32(capacity), &inp, Int32(frames))
                }
            }
        }
        try check(produced, "resampling audio", file: path)
        guard produced > 0 else { return }
        let written: Int32 = left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                var planes: [UnsafeMutableRawPointer?] = [UnsafeMutableRawPointer(l.baseAddress!), UnsafeMutableRawPointer(r.baseAddress!)]
                return av_audio_fifo_write(fifo, &planes, produced)
            }
        }
        try check(written, "queueing audio", file: path)
    }

    // Encodes whole frames from the FIFO; with `final`, also the short last frame.
    private func encodeQueued(final: Bool) throws {
        while true {
            let available = Int(av_audio_fifo_size(fifo))
            let n = final ? min(available, frameSize) : (available >= frameSize ? frameSize : 0)
            if n == 0 { return }
            let f = frame.frame
            f.pointee.nb_samples = Int32(frameSize)
            try check(av_frame_make_writable(f), "preparing an audio frame", file: path)
            f.pointee.nb_samples = Int32(n)
            let read = withUnsafeMutablePointer(to: &f.pointee.data) { data in
                data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                    av_audio_fifo_read(fifo, $0, Int32(n))
                }
            }
            try check(read, "dequeueing audio", file: path)
            f.pointee.pts = encodedSamples
            encodedSamples += Int64(n)
            try encoder.send(f, to: output)
        }
    }
}
