import CFFmpeg

/// Writes a frame shard: lossless FFV1 (version 3, 8-bit RGB, fixed slice count) in Matroska,
/// one frame per tick of a 1/fps time base. Identical frames give identical file bytes, so a
/// re-rendered shard that did not change stops the rebuild (early cutoff).
public final class ShardWriter {
    public let path: String
    public let width: Int
    public let height: Int
    public let fps: Int
    private let output: MediaOutput
    private let encoder: MediaEncoder
    private let frame: OwnedFrame
    private var nextPTS: Int64 = 0
    private var finished = false

    /// `threads` is FFV1's slice-thread count; the bitstream does not depend on it (the slice
    /// layout is fixed), so callers may pick it from the machine.
    public init(path: String, width: Int, height: Int, fps: Int, threads: Int = 1) throws {
        guard width > 0, height > 0, fps > 0 else {
            throw MediaError.invalid(file: path, reason: "shard size \(width)x\(height) at \(fps) fps is not valid")
        }
        self.path = path
        self.width = width
        self.height = height
        self.fps = fps
        output = try MediaOutput(path: path, format: "matroska")
        encoder = try MediaEncoder(name: "ffv1", path: path)
        let ctx = encoder.context
        ctx.pointee.width = Int32(width)
        ctx.pointee.height = Int32(height)
        ctx.pointee.pix_fmt = ShardPixels.format
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        ctx.pointee.framerate = AVRational(num: Int32(fps), den: 1)
        // Version 3 (per-slice CRCs, slice-parallel decoding); 4 slices regardless of threads.
        ctx.pointee.level = 3
        ctx.pointee.slices = 4
        ctx.pointee.thread_count = Int32(max(1, threads))
        ctx.pointee.thread_type = FF_THREAD_SLICE
        // Shards are always decoded from the start, so keyframes only bound the damage of a bad
        // byte; a fixed interval keeps the bitstream independent of FFmpeg's default.
        ctx.pointee.gop_size = 30
        try encoder.setPrivateOption("slicecrc", "1")
        // Golomb-Rice: the range coder saves ~15% space but decodes ~50% slower, and shards are
        // decoded again on every re-encode of a track. Set explicitly, not left to the default.
        try encoder.setPrivateOption("coder", "rice")
        try encoder.open(adding: output)
        try output.writeHeader()

        frame = try OwnedFrame(path: path)
        frame.frame.pointee.format = ShardPixels.format.rawValue
        frame.frame.pointee.width = Int32(width)
        frame.frame.pointee.height = Int32(height)
        try check(av_frame_get_buffer(frame.frame, 0), "allocating a frame", file: path)
    }

    /// Appends one frame; it must have the shard's size.
    public func write(_ image: RGBImage) throws {
        guard !finished else { throw MediaError.invalid(file: path, reason: "write after finish") }
        guard image.width == width, image.height == height else {
            throw MediaError.invalid(file: path, reason: "frame is \(image.width)x\(image.height), shard is \(width)x\(height)")
        }
        // The encoder may still reference the previous buffer; get a private one if so.
        try check(av_frame_make_writable(frame.frame), "preparing a frame", file: path)
        ShardPixels.fill(frame.frame, from: image)
        frame.frame.pointee.pts = nextPTS
        nextPTS += 1
        try encoder.send(frame.frame, to: output)
    }

    /// Number of frames written so far.
    public var frameCount: Int { Int(nextPTS) }

    /// Flushes the encoder and completes the file. Must be called; a shard without it is truncated.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try encoder.flush(to: output)
        try output.finish()
    }
}
