import CFFmpeg

/// The encoders' colour conversion: full-range RGB24 → BT.709 limited-range YUV (yuv420p or
/// yuv444p) at the same size, through swscale (bicubic chroma, accurate rounding, bit-exact,
/// full chroma input), into a frame it owns. One definition, so that `ntsbench finish` times the
/// conversion the track encoder runs.
public final class RGBToYUV {
    public let width: Int
    public let height: Int
    /// The converted picture, overwritten by each `convert`.
    let frame: OwnedFrame
    private let context: OpaquePointer
    /// The RGB frame as swscale reads it (see `SwscaleSource`).
    private var source = SwscaleSource()
    private let path: String

    /// `path`: the file the frames are for, named in errors.
    init(width: Int, height: Int, pixelFormat: AVPixelFormat, path: String) throws {
        self.width = width
        self.height = height
        self.path = path
        let yuv = try OwnedFrame(path: path)
        yuv.frame.pointee.format = pixelFormat.rawValue
        yuv.frame.pointee.width = Int32(width)
        yuv.frame.pointee.height = Int32(height)
        try check(av_frame_get_buffer(yuv.frame, 0), "allocating a video frame", file: path)
        frame = yuv
        guard let sws = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height), pixelFormat,
                                       SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT | SWS_FULL_CHR_H_INP, nil, nil, nil) else {
            throw MediaError.invalid(file: path, reason: "swscale cannot convert RGB24 to \(av_get_pix_fmt_name(pixelFormat).map { String(cString: $0) } ?? "pixel format \(pixelFormat.rawValue)")")
        }
        context = sws
        let coefficients = sws_getCoefficients(SWS_CS_ITU709)
        sws_setColorspaceDetails(sws, coefficients, 1, coefficients, 0, 0, 1 << 16, 1 << 16)
    }

    /// To yuv420p, for measuring the conversion on its own.
    public convenience init(width: Int, height: Int) throws {
        try self.init(width: width, height: height, pixelFormat: AV_PIX_FMT_YUV420P, path: "RGB → YUV")
    }

    deinit { sws_freeContext(context) }

    /// Converts `image` (of this size) into `frame`.
    public func convert(_ image: RGBImage) throws {
        guard image.width == width, image.height == height else {
            throw MediaError.invalid(file: path, reason: "frame is \(image.width)x\(image.height), video is \(width)x\(height)")
        }
        let f = frame.frame
        try check(av_frame_make_writable(f), "preparing a video frame", file: path)
        // Copied into a padded buffer first: swscale reads past the end of the pixels.
        source.withPixels(count: image.pixels.count) { pixels in
            image.pixels.withUnsafeBufferPointer { pixels.update(from: $0.baseAddress!, count: $0.count) }
            var srcData: [UnsafePointer<UInt8>?] = [UnsafePointer(pixels), nil, nil, nil]
            var srcStride: [Int32] = [Int32(width * 3), 0, 0, 0]
            var dstData: [UnsafeMutablePointer<UInt8>?] = [f.pointee.data.0, f.pointee.data.1, f.pointee.data.2, nil]
            var dstStride: [Int32] = [f.pointee.linesize.0, f.pointee.linesize.1, f.pointee.linesize.2, 0]
            _ = sws_scale(context, &srcData, &srcStride, 0, Int32(height), &dstData, &dstStride)
        }
    }
}
