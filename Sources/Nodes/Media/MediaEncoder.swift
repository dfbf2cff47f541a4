import CFFmpeg

/// An encoder (AVCodecContext) feeding one stream of a `MediaOutput`.
/// Configure `context` between `init` and `open`, then `send` frames and `flush` once.
final class MediaEncoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    let path: String
    let name: String
    private let packet: UnsafeMutablePointer<AVPacket>
    private(set) var streamIndex: Int32 = -1

    init(name: String, path: String) throws {
        self.path = path
        self.name = name
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw MediaError.unavailable(file: path, what: "encoder \(name)")
        }
        guard let ctx = avcodec_alloc_context3(codec), let pkt = av_packet_alloc() else {
            throw MediaError.ffmpeg(file: path, operation: "allocating encoder \(name)", code: cffmpeg_averror(ENOMEM))
        }
        context = ctx
        packet = pkt
        // Bitexact: no version strings or other run-dependent data in the bitstream.
        context.pointee.flags |= AV_CODEC_FLAG_BITEXACT
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&ctx)
        var pkt: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&pkt)
    }

    /// Sets an encoder-private option (x264 preset, ffv1 slicecrc, ...); throws if it is unknown or invalid.
    func setPrivateOption(_ key: String, _ value: String) throws {
        try check(av_opt_set(context.pointee.priv_data, key, value, 0), "setting \(name) option \(key)=\(value)", file: path)
    }

    /// Opens the encoder and adds its stream to `output` (global headers if the container wants them).
    func open(adding output: MediaOutput) throws {
        if output.wantsGlobalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try check(avcodec_open2(context, nil, nil), "opening encoder \(name)", file: path)
        streamIndex = try output.addStream(encoder: context)
    }

    /// Encodes one frame (nil flushes) and muxes every packet the encoder hands back.
    func send(_ frame: UnsafeMutablePointer<AVFrame>?, to output: MediaOutput) throws {
        try check(avcodec_send_frame(context, frame), "encoding with \(name)", file: path)
        while true {
            let ret = avcodec_receive_packet(context, packet)
            if ret == averrorEAGAIN || ret == averrorEOF { return }
            try check(ret, "encoding with \(name)", file: path)
            try output.write(packet, stream: streamIndex, from: context.pointee.time_base)
        }
    }

    /// Drains the encoder's delayed packets (B-frames, lookahead, AAC priming tail).
    func flush(to output: MediaOutput) throws { try send(nil, to: output) }
}

/// An owned AVFrame with its own buffer, freed on deinit.
final class OwnedFrame {
    let frame: UnsafeMutablePointer<AVFrame>

    init(path: String) throws {
        guard let f = av_frame_alloc() else {
            throw MediaError.ffmpeg(file: path, operation: "allocating a frame", code: cffmpeg_averror(ENOMEM))
        }
        frame = f
    }

    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
    }
}
