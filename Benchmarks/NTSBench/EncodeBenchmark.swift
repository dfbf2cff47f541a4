import Foundation
import Nodes

/// The encoding benchmark (`ntsbench encode`): the same frames encoded by `TrackEncoder` in-process and by the
/// `ffmpeg` CLI fed raw RGB through a pipe, with the same x264 and AAC settings, so the cost of
/// the pipe (and of a second process) can be measured rather than guessed.
public struct EncodeBenchmark {
    public var video: VideoSettings
    public var seconds: Double
    public var audioBitrate = "192k"

    public init(video: VideoSettings, seconds: Double) {
        self.video = video
        self.seconds = seconds
    }

    public var frameCount: Int { Int((seconds * Double(video.fps)).rounded()) }

    /// Thirty distinct moving-gradient frames, cycled: synthesis stays out of the timings.
    func frames() -> [RGBImage] {
        (0..<30).map { i in
            var image = RGBImage(width: video.width, height: video.height)
            image.pixels.withUnsafeMutableBufferPointer { p in
                for y in 0..<video.height {
                    for x in 0..<video.width {
                        let o = (y * video.width + x) * 3
                        p[o] = UInt8(truncatingIfNeeded: x / 3 + i * 7)
                        p[o + 1] = UInt8(truncatingIfNeeded: y / 2 + i * 3)
                        p[o + 2] = UInt8(truncatingIfNeeded: (x ^ y) / 4 + i * 11)
                    }
                }
            }
            return image
        }
    }

    /// Silence of the video's length at 48 kHz stereo, so both sides also encode AAC.
    func silence() -> AudioInput {
        let total = frameCount * 48_000 / video.fps
        var done = 0
        return AudioInput(sampleRate: 48_000, channels: 2, totalFrames: total) { n in
            let take = min(n, total - done)
            done += take
            return [Float](repeating: 0, count: max(0, take) * 2)
        }
    }

    /// Wall and CPU seconds of one encode. CPU time counts every process involved (for the pipe:
    /// ours writing it and ffmpeg's), and is less disturbed by other jobs on a shared machine.
    public struct Timing {
        public var wall: Double
        public var cpu: Double
    }

    static func cpuNow() -> Double { cpuSeconds(children: false) + cpuSeconds(children: true) }

    /// Encodes in-process into `path`.
    public func inProcess(to path: String) throws -> Timing {
        let images = frames()
        let cpu = EncodeBenchmark.cpuNow()
        let start = Date()
        let encoder = try TrackEncoder(path: path, video: video, audio: silence(), audioBitrate: audioBitrate, metadata: [:])
        for i in 0..<frameCount { try encoder.encode(images[i % images.count]) }
        try encoder.finish()
        return Timing(wall: Date().timeIntervalSince(start), cpu: EncodeBenchmark.cpuNow() - cpu)
    }

    /// The equivalent `ffmpeg` command line (raw RGB on stdin, silence from lavfi).
    public func ffmpegArguments(output: String) -> [String] {
        var args = ["-v", "error", "-y",
                    "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(video.width)x\(video.height)", "-r", "\(video.fps)", "-i", "-",
                    "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
                    "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+bitexact+full_chroma_inp",
                    "-c:v", "libx264", "-preset", video.preset, "-crf", String(video.crf), "-pix_fmt", video.pixelFormat,
                    "-threads", String(video.threads), "-x264-params", "sliced-threads=0:non-deterministic=0"]
        if let profile = video.profile { args += ["-profile:v", profile] }
        if let gop = video.keyframeInterval { args += ["-g", String(gop)] }
        args += ["-c:a", "aac", "-b:a", audioBitrate, "-frames:v", String(frameCount), "-shortest",
                 "-movflags", "+faststart", "-fflags", "+bitexact", output]
        return args
    }

    /// Has `ffmpeg` encode the same frames, piped to it, into `path`.
    public func throughFFmpeg(to path: String) throws -> Timing {
        let images = frames().map { Data($0.pixels) }
        signal(SIGPIPE, SIG_IGN)  // if ffmpeg dies, the write throws instead of killing us
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg"] + ffmpegArguments(output: path)
        let pipe = Pipe()
        process.standardInput = pipe
        let cpu = EncodeBenchmark.cpuNow()
        let start = Date()
        try process.run()
        for i in 0..<frameCount { try pipe.fileHandleForWriting.write(contentsOf: images[i % images.count]) }
        try pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MediaError.invalid(file: path, reason: "ffmpeg exited with status \(process.terminationStatus)")
        }
        return Timing(wall: Date().timeIntervalSince(start), cpu: EncodeBenchmark.cpuNow() - cpu)
    }
}
