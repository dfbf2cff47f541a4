import CFFmpeg
import Foundation

/// Reads a still PNG, JPEG or WebP into an `RGBImage` through libavcodec, for reference images
/// (palettes, style fitting) that come from the user and may be anything.
///
/// - The format and size come from the file's own header (`ImageHeader`) and the pixel limit is
///   enforced before a decoder exists; the decoder also gets `max_pixels`, so even a header that
///   lies cannot make it allocate past the limit. The file itself is bounded (8 bytes a pixel,
///   the most an uncompressed 16-bit RGBA PNG needs, plus 16 MiB of metadata).
/// - The whole file is one packet: FFmpeg's image demuxers would choose the codec by extension
///   (image2) or split the file with a parser (the *_pipe ones), and neither knows the size
///   before decoding.
/// - Decoding is single-threaded, bit-exact and uses the C simple IDCT for JPEG, so the pixels do
///   not depend on the CPU; CRCs are checked and decoder errors are fatal, so a damaged file is
///   an error rather than a grey-smeared picture.
/// - Any decoded pixel format (palette, gray, 16-bit, YUV, with or without alpha) goes through
///   swscale to 8-bit RGB. Alpha is composited over black (premultiplied): transparent areas
///   hold arbitrary hidden colours in many files, black is what a dark video frame shows there.
///   JPEG orientation tags are ignored (pixels are read as stored).
public enum ImageReader {
    public static func read(path: String, maxPixels: Int = 40_000_000) throws -> RGBImage {
        precondition(maxPixels > 0, "maxPixels must be positive")
        let file = try ImageFile(path: path, maxBytes: byteLimit(maxPixels: maxPixels))
        let header = try file.withBytes { try ImageHeader(bytes: $0, file: path) }
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixels <= maxPixels else {
            throw ImageError.tooManyPixels(file: path, width: header.width, height: header.height, limit: maxPixels)
        }
        return try decode(file, header: header, path: path, maxPixels: maxPixels)
    }

    /// The largest file an image of `maxPixels` can plausibly be (and that fits one packet).
    static func byteLimit(maxPixels: Int) -> Int {
        let (bytes, overflow) = maxPixels.multipliedReportingOverflow(by: 8)
        let limit = Int(Int32.max) - Int(AV_INPUT_BUFFER_PADDING_SIZE)
        return overflow ? limit : min(limit, bytes + 16 << 20)
    }

    private static func decode(_ file: ImageFile, header: ImageHeader, path: String, maxPixels: Int) throws -> RGBImage {
        quietFFmpeg()
        let id: AVCodecID
        switch header.format {
        case .png: id = AV_CODEC_ID_PNG
        case .jpeg: id = AV_CODEC_ID_MJPEG
        case .webp: id = AV_CODEC_ID_WEBP
        }
        guard let codec = avcodec_find_decoder(id) else {
            throw ImageError.unsupported(file: path, reason: "this FFmpeg build has no \(header.format.rawValue) decoder")
        }
        var context = avcodec_alloc_context3(codec)
        var frame = av_frame_alloc()
        defer {
            avcodec_free_context(&context)
            av_frame_free(&frame)
        }
        guard let ctx = context, let frame else { throw ImageError.unreadable(file: path, reason: "out of memory") }
        ctx.pointee.max_pixels = Int64(maxPixels)
        ctx.pointee.thread_count = 1
        ctx.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        ctx.pointee.idct_algo = FF_IDCT_SIMPLE
        ctx.pointee.err_recognition = AV_EF_CRCCHECK | AV_EF_EXPLODE
        func fail(_ code: Int32) -> ImageError {
            .corrupt(file: path, reason: "\(header.format.rawValue) decoder: \(ffmpegErrorString(code))")
        }
        var ret = avcodec_open2(ctx, codec, nil)
        if ret < 0 { throw fail(ret) }
        ret = avcodec_send_packet(ctx, file.packet)
        if ret < 0 { throw fail(ret) }
        ret = avcodec_receive_frame(ctx, frame)
        if ret == averrorEAGAIN {
            ret = avcodec_send_packet(ctx, nil)
            if ret < 0 { throw fail(ret) }
            ret = avcodec_receive_frame(ctx, frame)
        }
        if ret == averrorEOF || ret == averrorEAGAIN {
            throw ImageError.corrupt(file: path, reason: "no picture in the \(header.format.rawValue) data")
        }
        if ret < 0 { throw fail(ret) }
        defer { av_frame_unref(frame) }
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        guard width == header.width, height == header.height else {
            throw ImageError.corrupt(file: path, reason: "header says \(header.width)×\(header.height), picture is \(width)×\(height)")
        }
        return try rgb(from: frame, path: path)
    }

    /// The frame as packed RGB, alpha composited over black.
    private static func rgb(from f: UnsafeMutablePointer<AVFrame>, path: String) throws -> RGBImage {
        let width = Int(f.pointee.width), height = Int(f.pointee.height)
        let source = AVPixelFormat(rawValue: f.pointee.format)
        guard let desc = av_pix_fmt_desc_get(source) else {
            throw ImageError.corrupt(file: path, reason: "decoded to an unknown pixel format")
        }
        let hasAlpha = desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_ALPHA) != 0
        let target = hasAlpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24
        let channels = hasAlpha ? 4 : 3
        var packed = [UInt8](repeating: 0, count: width * height * channels)
        if source == target {
            copyRows(from: f.pointee.data.0!, stride: Int(f.pointee.linesize.0), into: &packed, rowBytes: width * channels, rows: height)
        } else {
            try convert(f, to: target, into: &packed, rowBytes: width * channels, path: path)
        }
        guard hasAlpha else { return RGBImage(width: width, height: height, pixels: packed) }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            let a = UInt32(packed[p * 4 + 3])
            for c in 0..<3 { out[p * 3 + c] = UInt8((UInt32(packed[p * 4 + c]) * a + 127) / 255) }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// swscale into its own aligned buffer (its SIMD paths may write past a packed row's end),
    /// then only each row's pixels are copied out, never the padding.
    private static func convert(_ f: UnsafeMutablePointer<AVFrame>, to target: AVPixelFormat,
                                into packed: inout [UInt8], rowBytes: Int, path: String) throws {
        let width = f.pointee.width, height = f.pointee.height
        let source = AVPixelFormat(rawValue: f.pointee.format)
        guard let sws = sws_getContext(width, height, source, width, height, target,
                                       SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INT, nil, nil, nil) else {
            let name = av_get_pix_fmt_name(source).map { String(cString: $0) } ?? "?"
            throw ImageError.unsupported(file: path, reason: "cannot convert its pixel format \(name) to RGB")
        }
        defer { sws_freeContext(sws) }
        if f.pointee.color_range == AVCOL_RANGE_JPEG { setFullRangeSource(sws) }
        var dstData: [UnsafeMutablePointer<UInt8>?] = [nil, nil, nil, nil]
        var dstStride: [Int32] = [0, 0, 0, 0]
        let size = av_image_alloc(&dstData, &dstStride, width, height, target, 64)
        guard size >= 0, let buffer = dstData[0] else { throw ImageError.unreadable(file: path, reason: "out of memory") }
        defer { av_free(buffer) }
        withFramePlanes(f) { srcData, srcStride in
            _ = sws_scale(sws, srcData, srcStride, 0, height, &dstData, &dstStride)
        }
        copyRows(from: buffer, stride: Int(dstStride[0]), into: &packed, rowBytes: rowBytes, rows: Int(height))
    }

    /// Full-range YUV or gray (JPEG, some WebP) must not be stretched as if it were video range.
    private static func setFullRangeSource(_ sws: OpaquePointer) {
        var inverse: UnsafeMutablePointer<Int32>?
        var table: UnsafeMutablePointer<Int32>?
        var srcRange: Int32 = 0, dstRange: Int32 = 0, brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
        guard sws_getColorspaceDetails(sws, &inverse, &srcRange, &table, &dstRange, &brightness, &contrast, &saturation) >= 0,
              let inverse, let table else { return }
        _ = sws_setColorspaceDetails(sws, inverse, 1, table, dstRange, brightness, contrast, saturation)
    }

    private static func copyRows(from base: UnsafeMutablePointer<UInt8>, stride: Int, into packed: inout [UInt8],
                                 rowBytes: Int, rows: Int) {
        packed.withUnsafeMutableBufferPointer { dst in
            for y in 0..<rows {
                (dst.baseAddress! + y * rowBytes).update(from: base + y * stride, count: rowBytes)
            }
        }
    }
}

/// A whole file read into an FFmpeg packet (with the zeroed padding decoders may read past the
/// end), after the checks that give a missing file, a directory or an empty file its own message.
private final class ImageFile {
    let packet: UnsafeMutablePointer<AVPacket>

    init(path: String, maxBytes: Int) throws {
        // O_NONBLOCK: a FIFO given as a reference must not hang the build.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw ImageError.missing(file: path) }
            if code == EISDIR { throw ImageError.directory(file: path) }
            throw ImageError.unreadable(file: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw ImageError.directory(file: path)
        case S_IFREG: break
        default: throw ImageError.unreadable(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 { throw ImageError.empty(file: path) }
        if size > maxBytes { throw ImageError.fileTooLarge(file: path, bytes: size, limit: maxBytes) }
        guard let packet = av_packet_alloc() else { throw ImageError.unreadable(file: path, reason: "out of memory") }
        self.packet = packet
        guard av_new_packet(packet, Int32(size)) >= 0, let data = packet.pointee.data else {
            throw ImageError.unreadable(file: path, reason: "out of memory")
        }
        var done = 0
        while done < size {
            let n = Foundation.read(fd, data + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ImageError.unreadable(file: path, reason: String(cString: strerror(errno))) }
            if n == 0 { throw ImageError.unreadable(file: path, reason: "the file shrank while being read") }
            done += n
        }
    }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
    }
}
