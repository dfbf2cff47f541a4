import CFFmpeg

/// Reads a frame shard written by `ShardWriter` back into RGB images, frame by frame,
/// bit-exactly (HuffYUV is lossless and bgr0→RGB24 is a byte shuffle). Shards are decoded from
/// their first frame (the Huffman tables adapt from frame to frame).
public final class ShardReader {
    public let path: String
    public let width: Int
    public let height: Int
    private let input: MediaInput
    private let decoder: UnsafeMutablePointer<AVCodecContext>
    private let packet: UnsafeMutablePointer<AVPacket>
    private let frame: OwnedFrame
    private var scaler: OpaquePointer?  // only for shards in a pixel format other than bgr0
    private var draining = false

    /// `threads`: decoding threads; the decoded pixels do not depend on it.
    public init(path: String, threads: Int = 1) throws {
        self.path = path
        input = try MediaInput(path: path, mediaType: AVMEDIA_TYPE_VIDEO)
        let par = input.parameters
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError.unavailable(file: path, what: "decoder for \(String(cString: avcodec_get_name(par.pointee.codec_id)))")
        }
        frame = try OwnedFrame(path: path)
        guard let ctx = avcodec_alloc_context3(codec), let pkt = av_packet_alloc() else {
            throw MediaError.ffmpeg(file: path, operation: "allocating a decoder", code: cffmpeg_averror(ENOMEM))
        }
        decoder = ctx
        packet = pkt
        width = Int(par.pointee.width)
        height = Int(par.pointee.height)
        try check(avcodec_parameters_to_context(ctx, par), "configuring the decoder", file: path)
        ctx.pointee.thread_count = Int32(max(1, threads))
        try check(avcodec_open2(ctx, codec, nil), "opening the decoder", file: path)
        guard width > 0, height > 0 else { throw MediaError.invalid(file: path, reason: "video stream has no size") }
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVCodecContext>? = decoder
        avcodec_free_context(&ctx)
        var pkt: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&pkt)
        sws_freeContext(scaler)
    }

    /// The next frame in order, or nil after the last one.
    public func next() throws -> RGBImage? {
        try decodeNext { try convert($0) }
    }

    /// Decodes the next frame without converting it (frames before a wanted one must still be
    /// decoded: the Huffman tables adapt from frame to frame); false after the last one.
    public func skip() throws -> Bool {
        try decodeNext { _ in true } ?? false
    }

    private func decodeNext<T>(_ take: (UnsafeMutablePointer<AVFrame>) throws -> T) throws -> T? {
        while true {
            let ret = avcodec_receive_frame(decoder, frame.frame)
            if ret == 0 {
                defer { av_frame_unref(frame.frame) }
                return try take(frame.frame)
            }
            if ret == averrorEOF { return nil }
            if ret != averrorEAGAIN { try check(ret, "decoding", file: path) }
            if draining { return nil }
            if try input.readPacket(into: packet) {
                let sent = avcodec_send_packet(decoder, packet)
                av_packet_unref(packet)
                try check(sent, "decoding", file: path)
            } else {
                // End of file: ask the decoder for what it still holds.
                draining = true
                try check(avcodec_send_packet(decoder, nil), "flushing the decoder", file: path)
            }
        }
    }

    private func convert(_ f: UnsafeMutablePointer<AVFrame>) throws -> RGBImage {
        guard Int(f.pointee.width) == width, Int(f.pointee.height) == height else {
            throw MediaError.invalid(file: path, reason: "frame size changed mid-stream")
        }
        if f.pointee.format == ShardPixels.format.rawValue { return ShardPixels.image(from: f) }
        // Not written by ShardWriter (another pixel format): convert through swscale.
        scaler = sws_getCachedContext(scaler, Int32(width), Int32(height), AVPixelFormat(rawValue: f.pointee.format),
                                      Int32(width), Int32(height), AV_PIX_FMT_RGB24,
                                      SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INT, nil, nil, nil)
        guard let scaler else { throw MediaError.invalid(file: path, reason: "cannot convert its pixel format to RGB") }
        var image = RGBImage(width: width, height: height)
        image.pixels.withUnsafeMutableBufferPointer { dst in
            var dstData: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(width * 3), 0, 0, 0]
            withFramePlanes(f) { srcData, srcStride in
                _ = sws_scale(scaler, srcData, srcStride, 0, Int32(height), &dstData, &dstStride)
            }
        }
        return image
    }
}

/// Calls `body` with a frame's plane pointers and strides as the C arrays swscale expects.
func withFramePlanes<R>(_ f: UnsafePointer<AVFrame>, _ body: ([UnsafePointer<UInt8>?], [Int32]) -> R) -> R {
    let d = f.pointee.data, l = f.pointee.linesize
    let planes: [UnsafePointer<UInt8>?] = [d.0, d.1, d.2, d.3].map { $0.map { UnsafePointer($0) } }
    return body(planes, [l.0, l.1, l.2, l.3])
}
