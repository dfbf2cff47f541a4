import CFFmpeg

/// Writes a short looping animated WebP (lossy libwebp) for previews in the run gallery.
/// Frames are pushed one by one; libwebp assembles the animation and emits it at `finish`,
/// so keep previews short (a few seconds at a reduced size).
public final class WebPAnimationWriter {
    public let path: String
    public let width: Int
    public let height: Int
    private let output: MediaOutput
    private let encoder: MediaEncoder
    private let frame: OwnedFrame
    private var nextPTS: Int64 = 0
    private var finished = false

    /// `quality` 0–100 (libwebp's lossy quality factor).
    public init(path: String, width: Int, height: Int, fps: Int, quality: Int = 75) throws {
        guard width > 0, height > 0, fps > 0, (0...100).contains(quality) else {
            throw MediaError.invalid(file: path, reason: "preview \(width)x\(height) at \(fps) fps, quality \(quality) is not valid")
        }
        self.path = path
        self.width = width
        self.height = height
        output = try MediaOutput(path: path, format: "webp")
        encoder = try MediaEncoder(name: "libwebp_anim", path: path)
        let ctx = encoder.context
        ctx.pointee.width = Int32(width)
        ctx.pointee.height = Int32(height)
        ctx.pointee.pix_fmt = AV_PIX_FMT_BGRA
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        ctx.pointee.framerate = AVRational(num: Int32(fps), den: 1)
        try encoder.setPrivateOption("quality", String(quality))
        try encoder.open(adding: output)
        // Loop forever, like a GIF in a gallery.
        try output.writeHeader(options: ["loop": "0"])

        frame = try OwnedFrame(path: path)
        frame.frame.pointee.format = AV_PIX_FMT_BGRA.rawValue
        frame.frame.pointee.width = Int32(width)
        frame.frame.pointee.height = Int32(height)
        try check(av_frame_get_buffer(frame.frame, 0), "allocating a frame", file: path)
    }

    public func write(_ image: RGBImage) throws {
        guard !finished else { throw MediaError.invalid(file: path, reason: "write after finish") }
        guard image.width == width, image.height == height else {
            throw MediaError.invalid(file: path, reason: "frame is \(image.width)x\(image.height), preview is \(width)x\(height)")
        }
        let f = frame.frame
        try check(av_frame_make_writable(f), "preparing a frame", file: path)
        // libwebp's packed B, G, R, A; opaque alpha.
        ShardPixels.fillBGRX(f, from: image, fourth: 255)
        f.pointee.pts = nextPTS
        nextPTS += 1
        try encoder.send(f, to: output)
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        guard nextPTS > 0 else { throw MediaError.invalid(file: path, reason: "no frames were written") }
        try encoder.flush(to: output)
        try output.finish()
    }
}
