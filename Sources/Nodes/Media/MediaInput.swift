import CFFmpeg

/// An input container opened for demuxing, with one chosen stream. Owns the AVFormatContext.
final class MediaInput {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>
    let streamIndex: Int32

    init(path: String, mediaType: AVMediaType) throws {
        quietFFmpeg()
        self.path = path
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_open_input(&ctx, path, nil, nil), "opening", file: path)
        guard let ctx else { throw MediaError.invalid(file: path, reason: "cannot open") }
        context = ctx
        // From here on deinit closes the input whatever fails.
        var index: Int32 = -1
        do {
            try check(avformat_find_stream_info(ctx, nil), "reading stream info", file: path)
            index = av_find_best_stream(ctx, mediaType, -1, -1, nil, 0)
        } catch {
            streamIndex = -1
            throw error
        }
        streamIndex = index
        if index < 0 {
            let kind = String(cString: av_get_media_type_string(mediaType))
            throw MediaError.invalid(file: path, reason: "no \(kind) stream")
        }
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&ctx)
    }

    var stream: UnsafeMutablePointer<AVStream> { context.pointee.streams[Int(streamIndex)]! }
    var parameters: UnsafeMutablePointer<AVCodecParameters> { stream.pointee.codecpar }

    /// Reads the next packet of the chosen stream into `packet`; false at end of file.
    func readPacket(into packet: UnsafeMutablePointer<AVPacket>) throws -> Bool {
        while true {
            let ret = av_read_frame(context, packet)
            if ret == averrorEOF { return false }
            try check(ret, "reading a packet", file: path)
            if packet.pointee.stream_index == streamIndex { return true }
            av_packet_unref(packet)
        }
    }
}
