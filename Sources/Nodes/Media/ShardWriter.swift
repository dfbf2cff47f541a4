import CFFmpeg

/// Writes a frame shard: lossless FFmpeg HuffYUV (`ffvhuff`, planar 8-bit RGB, plane prediction,
/// per-frame adaptive Huffman tables) in Matroska, one frame per tick of a 1/fps time base.
/// Identical frames give identical file bytes, so a re-rendered shard that did not change stops
/// the rebuild (early cutoff).
///
/// Why HuffYUV and not FFV1: every frame is coded once and decoded on every re-encode of its
/// track, and FFV1 cost 16 ms per 640×360 frame each way on the 2-core reference machine — half
/// the CPPN's own time — where ffvhuff takes ~4 ms, and its files are ~10 % smaller
/// (BENCHMARKS.md, Look).
/// FFV1's slice CRCs are not missed: the content store re-hashes every object before a node
/// reads it.
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

    /// Bump when the bytes written for the same frames change (it is part of the frames' keys).
    public static let formatVersion = 2

    public init(path: String, width: Int, height: Int, fps: Int) throws {
        guard width > 0, height > 0, fps > 0 else {
            throw MediaError.invalid(file: path, reason: "shard size \(width)x\(height) at \(fps) fps is not valid")
        }
        self.path = path
        self.width = width
        self.height = height
        self.fps = fps
        output = try MediaOutput(path: path, format: "matroska")
        encoder = try MediaEncoder(name: "ffvhuff", path: path)
        let ctx = encoder.context
        ctx.pointee.width = Int32(width)
        ctx.pointee.height = Int32(height)
        ctx.pointee.pix_fmt = ShardPixels.format
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        ctx.pointee.framerate = AVRational(num: Int32(fps), den: 1)
        // One thread: the adaptive tables carry statistics from frame to frame.
        ctx.pointee.thread_count = 1
        // Every option that shapes the bitstream is set, not left to FFmpeg's defaults.
        try encoder.setPrivateOption("pred", "plane")
        try encoder.setPrivateOption("context", "1")
        try encoder.setPrivateOption("non_deterministic", "0")
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
