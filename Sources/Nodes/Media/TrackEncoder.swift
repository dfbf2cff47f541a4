import CFFmpeg
import Foundation

/// Encodes one track's MP4: H.264 (libx264, yuv420p or yuv444p, BT.709) + AAC (48 kHz stereo), faststart,
/// with container tags. Video frames are pushed by the caller; after each one the audio is pulled
/// from the `AudioInput` up to that frame's end time, so memory stays bounded for any length.
public final class TrackEncoder {
    public let path: String
    public let video: VideoSettings
    private let output: MediaOutput
    private let encoder: MediaEncoder
    private let audio: AACStream
    private let converter: RGBToYUV
    private let sampleRate: Int
    private let audioFrames: Int
    private var framesEncoded: Int64 = 0
    private var finished = false

    /// `chapters`: for a cut that is re-encoded (the album with crossfades); tracks have none.
    public init(path: String, video: VideoSettings, audio input: AudioInput, audioBitrate: String, metadata: [String: String],
                chapters: [Chapter] = []) throws {
        self.path = path
        self.video = video
        sampleRate = input.sampleRate
        audioFrames = input.totalFrames
        if let problem = EncoderLimits.sizeProblem(width: video.width, height: video.height, pixelFormat: video.pixelFormat) {
            throw MediaError.invalid(file: path, reason: problem)
        }
        guard let pixelFormat = video.avPixelFormat else {
            throw MediaError.invalid(file: path, reason: "pixel format \(video.pixelFormat) is not supported (yuv420p or yuv444p)")
        }
        let profile: String?
        switch EncoderLimits.x264Profile(video.profile, pixelFormat: video.pixelFormat, crf: video.crf) {
        case .success(let p): profile = p
        case .failure(let mismatch): throw MediaError.invalid(file: path, reason: mismatch.description)
        }
        guard video.fps > 0 else { throw MediaError.invalid(file: path, reason: "fps \(video.fps) must be positive") }
        guard video.threads > 0 else {
            throw MediaError.invalid(file: path, reason: "encoder threads must be fixed (≥ 1), got \(video.threads)")
        }
        output = try MediaOutput(path: path, format: "mp4")
        encoder = try MediaEncoder(name: "libx264", path: path)
        let ctx = encoder.context
        ctx.pointee.width = Int32(video.width)
        ctx.pointee.height = Int32(video.height)
        ctx.pointee.pix_fmt = pixelFormat
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(video.fps))
        ctx.pointee.framerate = AVRational(num: Int32(video.fps), den: 1)
        ctx.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        // BT.709 limited range, tagged so players convert back to the colours we rendered.
        ctx.pointee.colorspace = AVCOL_SPC_BT709
        ctx.pointee.color_primaries = AVCOL_PRI_BT709
        ctx.pointee.color_trc = AVCOL_TRC_BT709
        ctx.pointee.color_range = AVCOL_RANGE_MPEG
        // Frame threads only: sliced threads change the bitstream layout; the count is fixed.
        ctx.pointee.thread_count = Int32(video.threads)
        ctx.pointee.thread_type = FF_THREAD_FRAME
        if let gop = video.keyframeInterval {
            guard gop > 0 else { throw MediaError.invalid(file: path, reason: "keyframe interval \(gop) must be positive") }
            ctx.pointee.gop_size = Int32(gop)
        }
        try encoder.setPrivateOption("preset", video.preset)
        try encoder.setPrivateOption("crf", String(video.crf))
        if let profile { try encoder.setPrivateOption("profile", profile) }
        // x264 derives everything else (lookahead threads, ...) from these parameters, never from
        // the CPU count, once `threads` is fixed. Spelled out so a changed default cannot bite.
        var x264Parameters = "sliced-threads=0:non-deterministic=0"
        if let asm = X264Capabilities.asmWithoutAVX512 { x264Parameters += ":asm=" + asm }
        try encoder.setPrivateOption("x264-params", x264Parameters)
        try encoder.open(adding: output)

        audio = try AACStream(input: input, bitrate: audioBitrate, output: output)

        converter = try RGBToYUV(width: video.width, height: video.height, pixelFormat: pixelFormat, path: path)

        output.setMetadata(metadata)
        try output.setChapters(chapters.map { ($0.title, $0.start, $0.end) })
        try output.writeHeader(options: ["movflags": "+faststart"])
    }

    /// Encodes the next video frame (size must equal the video settings), then the audio up to its end.
    public func encode(_ image: RGBImage) throws {
        guard !finished else { throw MediaError.invalid(file: path, reason: "encode after finish") }
        try converter.convert(image)  // checks the size
        let f = converter.frame.frame
        f.pointee.pts = framesEncoded
        framesEncoded += 1
        try encoder.send(f, to: output)
        // Audio up to this frame's end: (i+1)/fps seconds, in source samples, rounded up.
        let end = (Int(framesEncoded) * sampleRate + video.fps - 1) / video.fps
        try audio.pull(toSourceFrame: end)
    }

    /// Number of video frames encoded so far.
    public var frameCount: Int { Int(framesEncoded) }

    /// Flushes both encoders, encodes any audio not yet consumed, writes the trailer and faststart index.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        guard framesEncoded > 0 else { throw MediaError.invalid(file: path, reason: "no video frames were encoded") }
        // The promise of a track: picture and sound end together (within one frame).
        let expected = FrameTiming(sampleRate: sampleRate, fps: video.fps).frameCount(samples: audioFrames)
        guard abs(Int(framesEncoded) - expected) <= 1 else {
            let seconds = Double(audioFrames) / Double(sampleRate)
            throw MediaError.invalid(file: path, reason: "\(framesEncoded) video frames for \(String(format: "%.3f", seconds)) s of audio (expected \(expected) at \(video.fps) fps)")
        }
        try encoder.flush(to: output)
        try audio.finish()
        try output.finish()
    }
}
