import ArgumentParser
import Foundation
import Nodes

/// `ntsbench finish`: where a track node's CPU time goes once the frames exist. The same
/// generator frames go through each stage of the track node in turn — Lanczos upscale, palette
/// map, post-effects, then the encoder (RGB → YUV, x264, AAC) — and each stage's CPU time per
/// frame is printed with its share of the whole, so a change to one stage is measured against
/// the encoder in the same run rather than against a number from another day.
struct FinishBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish", abstract: "Time the track node's stages (upscale, palette, post-effects, encoder) per frame.")

    @Option(help: "Output width (frames are rendered at half of it, as the demo does).") var width = 1280
    @Option var height = 720
    @Option(help: "Frames per run (30 distinct renders, cycled).") var frames = 60
    @Option(help: "Runs; medians are reported.") var repeats = 3
    @Option(help: "Palette (the demo's pulse preset uses ember).") var palette = "ember"
    @Option(help: "Tone curve (pulse: punch).") var toneCurve = "punch"
    @Option var preset = "veryfast"

    func run() throws {
        var generator = GeneratorConfig()
        generator.seed = 1
        let cppn = try CPPN(config: generator, latentDim: 8)
        let latents = Controller.seededAnchors(count: 30, dim: 8, seed: 5)
        let rendered = latents.map { cppn.render(latent: $0[...], width: width / 2, height: height / 2) }
        var postfxConfig = PostFXConfig()
        postfxConfig.toneCurve = toneCurve
        postfxConfig.vignette = 0.25
        postfxConfig.flash = 0.45
        let paletteMap = PaletteMap(palette: try PaletteLibrary.named(palette))
        let video = VideoSettings(width: width, height: height, fps: 30, crf: 18, preset: preset, threads: 2,
                                  profile: "high", keyframeInterval: 60)
        let stages = ["upscale (Lanczos)", "palette map", "post-effects", "encode (YUV + x264 + AAC)"]
        var runs: [[Double]] = []
        for run in 0..<max(1, repeats) {
            let scaler = try ImageScaler(from: (width / 2, height / 2), to: (width, height))
            var postfx = try PostFX(config: postfxConfig, seed: 42, fps: 30)
            var images: [RGBImage] = []
            var seconds = [Double](repeating: 0, count: stages.count)
            var start = Self.cpuNow()
            for i in 0..<frames { images.append(scaler.scale(rendered[i % rendered.count])) }
            seconds[0] = Self.cpuNow() - start
            start = Self.cpuNow()
            for i in images.indices { paletteMap.apply(&images[i], shift: 0.1 * Float(i % 7)) }
            seconds[1] = Self.cpuNow() - start
            start = Self.cpuNow()
            for i in images.indices {
                postfx.apply(&images[i], frame: i, curves: FrameCurves(flash: Float(i % 5) / 4, contrast: 1.1))
            }
            seconds[2] = Self.cpuNow() - start
            let bench = EncodeBenchmark(video: video, seconds: Double(frames) / 30)
            let path = NSTemporaryDirectory() + "ntsbench-finish-\(getpid()).mp4"
            defer { try? FileManager.default.removeItem(atPath: path) }
            start = Self.cpuNow()
            let encoder = try TrackEncoder(path: path, video: video, audio: bench.silence(), audioBitrate: "192k", metadata: [:])
            for image in images { try encoder.encode(image) }
            try encoder.finish()
            seconds[3] = Self.cpuNow() - start
            start = Self.cpuNow()
            try Self.convertToYUV(images)
            seconds.append(Self.cpuNow() - start)
            runs.append(seconds.map { 1000 * $0 / Double(frames) })
            print("run \(run + 1): " + zip(stages, runs[run]).map { String(format: "%@ %.2f ms", $0.0, $0.1) }.joined(separator: ", "))
        }
        let medians = stages.indices.map { s in median(runs.map { $0[s] }) }
        let yuv = median(runs.map { $0[stages.count] })
        let total = medians.reduce(0, +)
        print(String(format: "CPU per %dx%d frame, medians of %d runs (all threads of this process):", width, height, runs.count))
        for (stage, ms) in zip(stages, medians) {
            print("  " + stage.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %6.2f ms  %5.1f %%", ms, 100 * ms / total))
        }
        print(String(format: "  of the encoder's, RGB → YUV alone (swscale, as the encoder sets it up): %.2f ms", yuv))
        print("  " + "all stages".padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %6.2f ms  (%.1f frames/s per core)", total, 1000 / total))
    }

    /// The encoder's colour conversion on its own (`RGBToYUV`, as `TrackEncoder` runs it), to yuv420p.
    static func convertToYUV(_ images: [RGBImage]) throws {
        guard let first = images.first else { return }
        let converter = try RGBToYUV(width: first.width, height: first.height)
        for image in images { try converter.convert(image) }
    }

    /// CPU seconds of every thread of this process (the encoder runs threads of its own).
    static func cpuNow() -> Double { cpuSeconds(children: false) }
}
