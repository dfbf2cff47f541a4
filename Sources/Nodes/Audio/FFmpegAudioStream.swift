import CFFmpeg

/// One pass over an audio stream through FFmpeg: the demuxer reading a `BufferedAudioSource`
/// through custom I/O, the decoder, and libswresample turning each frame into interleaved
/// float32. Owns every FFmpeg object it makes; `FFmpegAudioDecoder` makes a new one to rewind.
final class FFmpegAudioStream {
    /// The demuxers tried (FFmpeg's names). Only containers of compressed audio that libsndfile
    /// does not read: hostile bytes never reach FFmpeg's many looser probes (raw video, text, ...).
    static let containers = "mov,mp4,m4a,3gp,3g2,mj2,ogg,matroska,webm,asf,aac,ac3,eac3"
    /// MP3 only for a file libsndfile has already found to be MPEG audio (the MP3 probe is loose).
    static let mp3 = "mp3"
    static let ioBufferSize = 1 << 16

    private(set) var sampleRate: Int
    private(set) var channels: Int
    private let path: String
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var io: UnsafeMutablePointer<AVIOContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    /// The sample format the resampler was set up for (every frame must have it).
    private var resamplerInput: Int32 = -1
    private var packet = av_packet_alloc()
    private var frame = av_frame_alloc()
    // Set once the stream is open (vars only so that every property has a value before anything
    // can throw, and deinit frees what was made).
    private var streamIndex: Int32
    private var timeBase: AVRational
    /// The latest end (pts + duration) of a packet read, in the stream's time base.
    private var packetEnd: Int64?
    private var drained = false

    /// `containers`: the demuxers allowed, FFmpeg's names separated by commas.
    init(source: BufferedAudioSource, path: String, containers: String = FFmpegAudioStream.containers) throws {
        quietFFmpeg()
        self.path = path
        sampleRate = 0
        channels = 0
        streamIndex = -1
        timeBase = AVRational(num: 0, den: 1)
        guard packet != nil, frame != nil else { throw fail("out of memory") }
        // Custom I/O: FFmpeg reads the same descriptor (and file version) libsndfile was given.
        guard let buffer = av_malloc(FFmpegAudioStream.ioBufferSize) else { throw fail("out of memory") }
        io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), Int32(FFmpegAudioStream.ioBufferSize), 0,
                                Unmanaged.passUnretained(source).toOpaque(), FFmpegAudioStream.readPacket, nil, FFmpegAudioStream.seek)
        guard io != nil, let context = avformat_alloc_context() else {
            av_free(buffer)
            throw fail("out of memory")
        }
        context.pointee.pb = io
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        format = context
        // FFmpeg's messages become part of the error instead of lines of their own on stderr.
        cffmpeg_capture_logs(1)
        defer { cffmpeg_capture_logs(0) }
        // Probe first: bytes no allowed demuxer claims are not FFmpeg's to explain (the caller
        // gives libsndfile's reason); a claimed container that then fails is a damaged file.
        // By content only: with the file name, any text file called .m4a would be "an MP4".
        var detected: UnsafePointer<AVInputFormat>?
        guard av_probe_input_buffer2(io, &detected, nil, nil, 0, 0) >= 0, let detected,
              !Set(String(cString: detected.pointee.name).split(separator: ",")).isDisjoint(with: containers.split(separator: ",")) else {
            throw FFmpegAudioDecoder.NotRecognised.container
        }
        var options = makeDictionary(["format_whitelist": containers])
        defer { av_dict_free(&options) }
        // avformat_open_input frees the context on failure.
        let opened = avformat_open_input(&format, path, detected, &options)
        guard opened >= 0, let format else {
            format = nil
            try ok(min(opened, -1), "opening the \(String(cString: detected.pointee.name).split(separator: ",")[0]) container")
            return
        }
        try ok(avformat_find_stream_info(format, nil), "reading stream info")
        let index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0 else { throw fail("no audio stream") }
        let stream = format.pointee.streams[Int(index)]!
        // Skip every other stream's packets in the demuxer (cover art, video).
        for i in 0..<Int(format.pointee.nb_streams) where i != Int(index) { format.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL }
        guard let decoder = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id) else {
            throw fail("no decoder for \(String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id)))")
        }
        codec = avcodec_alloc_context3(decoder)
        guard let codec else { throw fail("out of memory") }
        try ok(avcodec_parameters_to_context(codec, stream.pointee.codecpar), "reading codec parameters")
        // Timestamps in the stream's base, so skipped priming moves a frame's pts by what was dropped.
        codec.pointee.pkt_timebase = stream.pointee.time_base
        codec.pointee.thread_count = 1
        try ok(avcodec_open2(codec, decoder, nil), "opening the \(String(cString: decoder.pointee.name)) decoder")
        streamIndex = index
        timeBase = stream.pointee.time_base
        sampleRate = Int(codec.pointee.sample_rate)
        channels = Int(codec.pointee.ch_layout.nb_channels)
        guard sampleRate > 0, channels > 0 else { throw fail("no audio stream (sample rate \(sampleRate), \(channels) channels)") }
    }

    /// Whether packet timestamps count samples or finer, so the stream's end can cut a frame.
    private var sampleExactTimestamps: Bool {
        timeBase.num > 0 && Int64(timeBase.num) * Int64(sampleRate) <= Int64(timeBase.den)
    }

    deinit {
        swr_free(&resampler)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
        if io != nil { av_freep(&io!.pointee.buffer) }
        avio_context_free(&io)
        av_frame_free(&frame)
        av_packet_free(&packet)
    }

    /// Replaces `samples` with the next decoded frame's interleaved floats (never empty); false at the end.
    func next(into samples: inout [Float]) throws -> Bool {
        guard let codec, let frame, let packet, let format else { return false }
        cffmpeg_capture_logs(1)
        defer { cffmpeg_capture_logs(0) }
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received >= 0 {
                defer { av_frame_unref(frame) }
                if try convert(frame, into: &samples) { return true }
                continue
            }
            if received == averrorEOF { return false }
            guard received == averrorEAGAIN else { try ok(received, "decoding"); return false }
            if drained { return false }
            let read = av_read_frame(format, packet)
            if read == averrorEOF {
                drained = true
                try ok(avcodec_send_packet(codec, nil), "decoding")
                continue
            }
            try ok(read, "reading a packet")
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            if packet.pointee.pts != cffmpeg_nopts_value(), packet.pointee.duration > 0 {
                let (end, overflow) = packet.pointee.pts.addingReportingOverflow(packet.pointee.duration)
                if !overflow { packetEnd = max(packetEnd ?? end, end) }
            }
            try ok(avcodec_send_packet(codec, packet), "decoding")
        }
    }

    /// The frame's samples up to the stream's end, interleaved; false when none remain.
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>, into samples: inout [Float]) throws -> Bool {
        if resampler == nil {
            // The first frame decides (codec parameters may predate, e.g., HE-AAC's doubled rate).
            sampleRate = Int(frame.pointee.sample_rate)
            channels = Int(frame.pointee.ch_layout.nb_channels)
            resamplerInput = frame.pointee.format
            guard sampleRate > 0, channels > 0 else { throw fail("no audio stream (sample rate \(sampleRate), \(channels) channels)") }
        }
        guard Int(frame.pointee.sample_rate) == sampleRate, Int(frame.pointee.ch_layout.nb_channels) == channels,
              frame.pointee.format == resamplerInput else {
            throw fail("the audio format changes mid-stream (to \(frame.pointee.sample_rate) Hz, \(frame.pointee.ch_layout.nb_channels) channels)")
        }
        var count = Int(frame.pointee.nb_samples)
        if sampleExactTimestamps, let end = packetEnd, frame.pointee.pts != cffmpeg_nopts_value() {
            let rate = AVRational(num: 1, den: Int32(sampleRate))
            let (last, overflow) = av_rescale_q(end, timeBase, rate).subtractingReportingOverflow(av_rescale_q(frame.pointee.pts, timeBase, rate))
            if !overflow { count = Int(max(0, min(Int64(count), last))) }
        }
        guard count > 0 else { return false }
        if resampler == nil {
            // Only the sample layout changes (planar or integer to interleaved float), at the same
            // rate, so libswresample buffers nothing and gives back every frame it is given.
            try ok(swr_alloc_set_opts2(&resampler, &frame.pointee.ch_layout, AV_SAMPLE_FMT_FLT, Int32(sampleRate),
                                       &frame.pointee.ch_layout, AVSampleFormat(rawValue: frame.pointee.format), Int32(sampleRate), 0, nil),
                   "setting up sample conversion")
            try ok(swr_init(resampler), "setting up sample conversion")
        }
        samples = [Float](repeating: 0, count: count * channels)
        let converted = samples.withUnsafeMutableBytes { out -> Int32 in
            var destination: UnsafeMutablePointer<UInt8>? = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: channels) { input in
                swr_convert(resampler, &destination, Int32(count), input, Int32(count))
            }
        }
        try ok(converted, "converting samples")
        samples.removeLast((count - Int(converted)) * channels)
        return converted > 0
    }

    private func fail(_ reason: String) -> AudioError { .unreadable(file: path, reason: reason) }

    /// A negative code as a one-line error, with FFmpeg's own last message when it logged one
    /// (`moov atom not found` says more than `Invalid data found when processing input`).
    private func ok(_ code: Int32, _ what: String) throws {
        guard code < 0 else { return }
        let said = String(cString: cffmpeg_captured_log())
        throw fail("\(what) failed (\(said.isEmpty ? ffmpegErrorString(code) : said))")
    }

    // MARK: custom I/O over BufferedAudioSource

    private static let readPacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buffer, size in
        guard let opaque, let buffer, size > 0 else { return averrorEOF }
        let got = Unmanaged<BufferedAudioSource>.fromOpaque(opaque).takeUnretainedValue().read(into: buffer, count: Int64(size))
        return got > 0 ? Int32(got) : averrorEOF
    }

    private static let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
        guard let opaque else { return -1 }
        let source = Unmanaged<BufferedAudioSource>.fromOpaque(opaque).takeUnretainedValue()
        if whence & AVSEEK_SIZE != 0 { return source.length }
        return source.seek(offset: offset, whence: whence & ~AVSEEK_FORCE)
    }
}
