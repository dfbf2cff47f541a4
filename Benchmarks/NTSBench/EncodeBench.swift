import ArgumentParser
import Foundation
import Nodes

/// `ntsbench encode`: in-process encoding against piping raw frames to the ffmpeg CLI.
struct EncodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode", abstract: "Encode the same frames in-process and through the ffmpeg CLI; print medians.")

    @Option var width = 1280
    @Option var height = 720
    @Option var fps = 30
    @Option(help: "Seconds of video per run.") var seconds = 10.0
    @Option var preset = "medium"
    @Option var crf = 18
    @Option var threads = 2
    @Option(help: "Runs of each; the median is reported.") var repeats = 3

    func run() throws {
        let bench = EncodeBenchmark(video: VideoSettings(width: width, height: height, fps: fps, crf: crf, preset: preset,
                                                         threads: threads, profile: "high", keyframeInterval: 60),
                                    seconds: seconds)
        let dir = NSTemporaryDirectory() + "ntsbuild-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var inside: [EncodeBenchmark.Timing] = [], piped: [EncodeBenchmark.Timing] = []
        for i in 0..<max(1, repeats) {
            inside.append(try bench.inProcess(to: dir + "/in-\(i).mp4"))
            piped.append(try bench.throughFFmpeg(to: dir + "/pipe-\(i).mp4"))
            print(String(format: "run %d: in-process %.2f s (CPU %.2f s), ffmpeg pipe %.2f s (CPU %.2f s)",
                         i + 1, inside.last!.wall, inside.last!.cpu, piped.last!.wall, piped.last!.cpu))
        }
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        let frames = Double(bench.frameCount)
        let (iw, ic) = (median(inside.map(\.wall)), median(inside.map(\.cpu)))
        let (pw, pc) = (median(piped.map(\.wall)), median(piped.map(\.cpu)))
        print(String(format: "in-process:  median %.2f s wall (%.1f frames/s), %.2f s CPU, %d bytes", iw, frames / iw, ic, size(dir + "/in-0.mp4")))
        print(String(format: "ffmpeg pipe: median %.2f s wall (%.1f frames/s), %.2f s CPU, %d bytes", pw, frames / pw, pc, size(dir + "/pipe-0.mp4")))
        print(String(format: "ratio ffmpeg/in-process: wall %.2f, CPU %.2f", pw / iw, pc / ic))
        print("ffmpeg " + bench.ffmpegArguments(output: "out.mp4").joined(separator: " "))
    }
}
