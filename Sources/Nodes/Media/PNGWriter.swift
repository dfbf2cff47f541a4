import CFFmpeg
import Foundation

/// Writes an RGB image as a PNG through libavcodec's png encoder (posters, stills, previews).
public enum PNGWriter {
    public static func write(_ image: RGBImage, to path: String) throws {
        try UserFile.write(try encode(image, label: path), to: path)
    }

    /// The PNG file bytes for `image`.
    public static func encode(_ image: RGBImage, label: String = "png") throws -> Data {
        quietFFmpeg()
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else {
            throw MediaError.unavailable(file: label, what: "encoder png")
        }
        var ctx = avcodec_alloc_context3(codec)
        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer {
            avcodec_free_context(&ctx)
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        guard let ctx, let packet, let frame else {
            throw MediaError.ffmpeg(file: label, operation: "allocating the png encoder", code: cffmpeg_averror(ENOMEM))
        }
        ctx.pointee.width = Int32(image.width)
        ctx.pointee.height = Int32(image.height)
        ctx.pointee.pix_fmt = AV_PIX_FMT_RGB24
        ctx.pointee.time_base = AVRational(num: 1, den: 1)
        ctx.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        try check(avcodec_open2(ctx, codec, nil), "opening the png encoder", file: label)

        frame.pointee.format = AV_PIX_FMT_RGB24.rawValue
        frame.pointee.width = Int32(image.width)
        frame.pointee.height = Int32(image.height)
        try check(av_frame_get_buffer(frame, 0), "allocating a frame", file: label)
        let stride = Int(frame.pointee.linesize.0)
        let rowBytes = image.width * 3
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                (frame.pointee.data.0! + y * stride).update(from: src.baseAddress! + y * rowBytes, count: rowBytes)
            }
        }
        frame.pointee.pts = 0
        try check(avcodec_send_frame(ctx, frame), "encoding the png", file: label)
        try check(avcodec_send_frame(ctx, nil), "encoding the png", file: label)
        try check(avcodec_receive_packet(ctx, packet), "encoding the png", file: label)
        return Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
    }
}
