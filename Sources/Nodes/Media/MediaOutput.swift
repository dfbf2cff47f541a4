import CFFmpeg

/// An output container being written (Matroska shard, MP4 track, MP4 album).
/// Owns the AVFormatContext and its file; muxes with bitexact flags so that identical packets
/// give identical bytes (no library version strings, no creation time, no random UIDs).
final class MediaOutput {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>
    private var headerWritten = false
    private var finished = false

    /// `format` is a muxer short name ("matroska", "mp4").
    init(path: String, format: String) throws {
        quietFFmpeg()
        self.path = path
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&ctx, nil, format, path), "allocating \(format) muxer", file: path)
        guard let ctx else { throw MediaError.unavailable(file: path, what: "muxer \(format)") }
        context = ctx
        context.pointee.flags |= AVFMT_FLAG_BITEXACT
    }

    deinit {
        // On an error path the file is left incomplete; close it so the descriptor does not leak.
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// Whether encoders must put their parameter sets in extradata (MP4 and Matroska do).
    var wantsGlobalHeader: Bool { (context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// Adds a stream described by an opened encoder; returns its index.
    func addStream(encoder: UnsafeMutablePointer<AVCodecContext>) throws -> Int32 {
        guard let stream = avformat_new_stream(context, nil) else {
            throw MediaError.ffmpeg(file: path, operation: "adding a stream", code: cffmpeg_averror(ENOMEM))
        }
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder), "copying encoder parameters", file: path)
        stream.pointee.time_base = encoder.pointee.time_base
        if encoder.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
            stream.pointee.avg_frame_rate = encoder.pointee.framerate
        }
        return stream.pointee.index
    }

    /// Adds a stream whose packets are copied from another file (no re-encode); returns its index.
    func addStream(copying parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational, frameRate: AVRational) throws -> Int32 {
        guard let stream = avformat_new_stream(context, nil) else {
            throw MediaError.ffmpeg(file: path, operation: "adding a stream", code: cffmpeg_averror(ENOMEM))
        }
        try check(avcodec_parameters_copy(stream.pointee.codecpar, parameters), "copying stream parameters", file: path)
        // The source's codec tag belongs to the source container; let the muxer choose its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = timeBase
        stream.pointee.avg_frame_rate = frameRate
        return stream.pointee.index
    }

    /// Container-level tags (title, artist, album, track, ...), set in sorted key order.
    func setMetadata(_ tags: [String: String]) {
        for key in tags.keys.sorted() { av_dict_set(&context.pointee.metadata, key, tags[key], 0) }
    }

    /// Chapters in seconds; must be called before `writeHeader` (MP4 builds its chapter track then).
    func setChapters(_ chapters: [(title: String, start: Double, end: Double)]) throws {
        guard !chapters.isEmpty else { return }
        // Microseconds keep frame-exact boundaries for any sensible frame rate.
        let timeBase = AVRational(num: 1, den: 1_000_000)
        let size = MemoryLayout<UnsafeMutablePointer<AVChapter>?>.stride * chapters.count
        guard let raw = av_mallocz(size) else {
            throw MediaError.ffmpeg(file: path, operation: "allocating chapters", code: cffmpeg_averror(ENOMEM))
        }
        let list = raw.bindMemory(to: UnsafeMutablePointer<AVChapter>?.self, capacity: chapters.count)
        // Ownership passes to the context at once, so avformat_free_context frees whatever was built.
        context.pointee.chapters = list
        for (i, chapter) in chapters.enumerated() {
            guard let c = av_mallocz(MemoryLayout<AVChapter>.stride)?.bindMemory(to: AVChapter.self, capacity: 1) else {
                throw MediaError.ffmpeg(file: path, operation: "allocating chapters", code: cffmpeg_averror(ENOMEM))
            }
            c.pointee.id = Int64(i + 1)
            c.pointee.time_base = timeBase
            c.pointee.start = Int64((chapter.start * 1_000_000).rounded())
            c.pointee.end = Int64((chapter.end * 1_000_000).rounded())
            av_dict_set(&c.pointee.metadata, "title", chapter.title, 0)
            list[i] = c
            context.pointee.nb_chapters = UInt32(i + 1)
        }
    }

    /// Opens the file and writes the container header; `options` are muxer options (e.g. movflags).
    func writeHeader(options: [String: String] = [:]) throws {
        try check(avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE), "opening for writing", file: path)
        var dict = makeDictionary(options)
        defer { av_dict_free(&dict) }
        try check(avformat_write_header(context, &dict), "writing the container header", file: path)
        if let unused = av_dict_get(dict, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw MediaError.invalid(file: path, reason: "muxer option '\(String(cString: unused.pointee.key))' not recognised")
        }
        headerWritten = true
    }

    /// The time base the muxer chose for a stream (it may differ from the one requested).
    func timeBase(ofStream index: Int32) -> AVRational {
        context.pointee.streams[Int(index)]!.pointee.time_base
    }

    /// Writes one packet whose timestamps are in `from`; the muxer interleaves streams by time.
    /// Takes ownership of the packet's data reference (the packet is left blank).
    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream index: Int32, from timeBase: AVRational) throws {
        packet.pointee.stream_index = index
        av_packet_rescale_ts(packet, timeBase, self.timeBase(ofStream: index))
        try check(av_interleaved_write_frame(context, packet), "writing a packet", file: path)
    }

    /// Flushes the interleaving queue, writes the trailer (and the faststart rewrite) and closes the file.
    func finish() throws {
        guard headerWritten, !finished else { return }
        finished = true
        try check(av_write_trailer(context), "writing the container trailer", file: path)
        try check(avio_closep(&context.pointee.pb), "closing", file: path)
    }
}
