import Foundation
import Nodes

/// Fits a style to each reference image and compares its renders with random seeds of the same
/// architecture (the acceptance benchmark of style fitting; BENCHMARKS.md, Styles).
///
///     StyleBench IMAGE... [--steps N] [--size S] [--out DIR]
func main() throws {
    var args = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        defer { args.removeSubrange(i...(i + 1)) }
        return args[i + 1]
    }
    let steps = option("--steps").flatMap(Int.init)
    let size = option("--size").flatMap(Int.init)
    let frequency = option("--frequency").flatMap(Double.init)
    let texture = option("--texture").flatMap(Double.init)
    let rate = option("--rate").flatMap(Double.init)
    let out = option("--out") ?? "/tmp/stylebench"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    for path in args {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var settings = StyleSettings(name: name, reference: path)
        if let steps { settings.steps = steps }
        if let size { settings.size = size }
        if let frequency { settings.frequency = frequency }
        if let texture { settings.texture = texture }
        if let rate { settings.rate = rate }
        let reference = try loadImage(path, shorterSide: settings.size)
        let start = Date()
        let result = try StyleFitter(settings: settings).fit(reference: reference) { p in
            if p.step % 50 == 0 || p.step == p.steps {
                print(String(format: "%@ step %d/%d loss %.4f  %.1f s", name, p.step, p.steps, p.loss, Date().timeIntervalSince(start)))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%@: fitted in %.1f s; colour %.3f → %.3f, texture %.4f → %.4f", name, seconds,
                     result.colour.first!, result.colour.last!, result.texture.first!, result.texture.last!))
        let s = settings.size
        var r = SeededRandom(seed: 99)
        let latents = (0..<2).map { _ in (0..<settings.latentDim).map { _ in r.nextGaussian() } }
        let tiles = [crop(reference, s)] + latents.map { result.render(latent: $0, width: s, height: s) }
        try PNGWriter.write(strip(tiles), to: "\(out)/\(name).png")
    }
}

/// The image through the ffmpeg CLI, scaled so its shorter side is `shorterSide`.
func loadImage(_ path: String, shorterSide: Int) throws -> RGBImage {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
    let raw = NSTemporaryDirectory() + "/stylebench-\(getpid()).rgb"
    probe.arguments = ["-v", "error", "-y", "-i", path, "-vf",
                       "scale='if(lt(iw,ih),\(shorterSide),-2)':'if(lt(iw,ih),-2,\(shorterSide))':flags=area",
                       "-f", "rawvideo", "-pix_fmt", "rgb24", raw]
    let pipe = Pipe()
    probe.standardError = pipe
    try probe.run()
    probe.waitUntilExit()
    let info = Process()
    info.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
    info.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", "-f", "rawvideo"]
    let data = try Data(contentsOf: URL(fileURLWithPath: raw))
    // Recover the size from the aspect ratio of the source via ffprobe on the original.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
    p.arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path]
    let o = Pipe()
    p.standardOutput = o
    try p.run()
    p.waitUntilExit()
    let dims = String(data: o.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8)!.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
    let (w0, h0) = (dims[0], dims[1])
    var w: Int, h: Int
    if w0 < h0 { w = shorterSide; h = data.count / 3 / w } else { h = shorterSide; w = data.count / 3 / h }
    _ = (w0, h0)
    try? FileManager.default.removeItem(atPath: raw)
    return RGBImage(width: w, height: h, pixels: [UInt8](data.prefix(w * h * 3)))
}

func crop(_ image: RGBImage, _ s: Int) -> RGBImage {
    var out = RGBImage(width: s, height: s)
    let x0 = (image.width - s) / 2, y0 = (image.height - s) / 2
    for y in 0..<min(s, image.height) {
        for x in 0..<min(s, image.width) {
            for c in 0..<3 { out.pixels[3 * (y * s + x) + c] = image.pixels[3 * ((y + y0) * image.width + x + x0) + c] }
        }
    }
    return out
}

func strip(_ tiles: [RGBImage]) -> RGBImage {
    let s = tiles[0].height, gap = 4
    var out = RGBImage(width: tiles.count * (s + gap) - gap, height: s)
    for (t, tile) in tiles.enumerated() {
        for y in 0..<s { for x in 0..<tile.width { for c in 0..<3 {
            out.pixels[3 * (y * out.width + t * (s + gap) + x) + c] = tile.pixels[3 * (y * tile.width + x) + c]
        } } }
    }
    return out
}

try main()
