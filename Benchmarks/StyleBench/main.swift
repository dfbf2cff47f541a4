import Foundation
import Nodes

/// Fits a style to each reference image and compares the fitted style's renders with random
/// seeds of the same architecture (`Measures`: colour, texture, motion). Prints one table row per
/// image and writes `<out>/<name>.png`: reference (its centre square) | random seed | fitted style at two latents.
///
///     StyleBench IMAGE... [--steps N] [--size S] [--frequency F] [--texture W] [--rate R] [--batch B] [--seed N] [--coarse L] [--energy W] [--orientation F] [--gain G] [--spectrum W] [--out DIR] [--parts]
///
/// `--parts` adds the texture distance's two terms (spectrum, orientations), fitted / random median,
/// the colour and texture ratios against the reference's centre square only (the measure before
/// 1 December 2026's fourth session), and the 16 spectrum bands (low to high frequency) of the
/// reference, the fit and random seed 1 at one latent.
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
    let batch = option("--batch").flatMap(Int.init)
    let seed = option("--seed").flatMap(Int.init)
    let coarse = option("--coarse").flatMap(Int.init)
    let energy = option("--energy").flatMap(Double.init)
    let orientation = option("--orientation").flatMap(Double.init)
    let gain = option("--gain").flatMap(Double.init)
    let spectrum = option("--spectrum").flatMap(Double.init)
    let out = option("--out") ?? "/tmp/stylebench"
    let parts = args.contains("--parts")
    args.removeAll { $0 == "--parts" }
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    print("| image | fit s | colour: fitted / random (ratio) | texture: fitted / random (ratio) | motion: fitted / random |")
    print("|---|---|---|---|---|")
    var ratios: [(Double, Double)] = []
    for path in args {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var settings = StyleSettings(name: name, reference: path)
        if let steps { settings.steps = steps }
        if let size { settings.size = size }
        if let frequency { settings.frequency = frequency }
        if let texture { settings.texture = texture }
        if let rate { settings.rate = rate }
        if let batch { settings.batch = batch }
        if let seed { settings.seed = seed }
        if let coarse { settings.coarseLevels = coarse }
        if let energy { settings.energy = energy }
        if let orientation { settings.orientation = orientation }
        if let gain { settings.gain = gain }
        if let spectrum { settings.spectrum = spectrum }
        let s = settings.size
        let full = try ImageReader.read(path: path)
        let shorter = min(full.width, full.height), longer = max(full.width, full.height)
        let reference = shorter > s ? ImageReader.downsample(full, maxSide: (longer * s + shorter - 1) / shorter) : full
        let start = Date()
        let result = try StyleFitter(settings: settings).fit(reference: reference) { p in
            if p.step % 100 == 0 {
                FileHandle.standardError.write(Data(String(format: "%@ step %d/%d loss %.4f %.0f s\n", name, p.step, p.steps, p.loss, Date().timeIntervalSince(start)).utf8))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "%@ frequency %.3g gain %.3g\n", name, result.frequency, result.gain).utf8))
        if let first = result.spectrum.first, let last = result.spectrum.last {
            FileHandle.standardError.write(Data(String(format: "%@ spectrum term %.4f -> %.4f\n", name, first, last).utf8))
        }
        var r = SeededRandom(seed: 0x1A7E)
        let latents = (0..<4).map { _ in (0..<settings.latentDim).map { _ in r.nextGaussian() } }
        let fitted = latents.map { result.render(latent: $0, width: s, height: s) }
        let target = Measures.Reference(whole: reference, size: s), centre = Measures.Reference(centre: reference, size: s)
        var randomColour: [Double] = [], randomTexture: [Double] = [], randomMotion: [Double] = []
        var centreColour: [Double] = [], centreTexture: [Double] = []
        var randomSpectrum: [Double] = [], randomOrientation: [Double] = []
        var firstSeed: RGBImage?
        for seed in 1...8 {
            var config = GeneratorConfig()
            config.hidden = settings.hidden
            config.layers = settings.layers
            config.seed = seed
            let cppn = try CPPN(config: config, latentDim: settings.latentDim)
            let renders = latents.map { cppn.render(latent: $0[...], width: s, height: s) }
            if firstSeed == nil { firstSeed = renders[0] }
            randomColour.append(Measures.colourDistance(renders, target.image))
            centreColour.append(Measures.colourDistance(renders, centre.image))
            let c = Measures.textureParts(renders, centre, size: s)
            centreTexture.append(c.spectrum + c.orientation)
            let (spectrum, orientation) = Measures.textureParts(renders, target, size: s)
            randomTexture.append(spectrum + orientation)
            randomSpectrum.append(spectrum)
            randomOrientation.append(orientation)
            randomMotion.append(Measures.motion(renders))
        }
        func median(_ v: [Double]) -> Double { let x = v.sorted(); return (x[x.count / 2 - 1] + x[x.count / 2]) / 2 }
        let colour = Measures.colourDistance(fitted, target.image)
        let (spectrum, orientation) = Measures.textureParts(fitted, target, size: s)
        let centreParts = Measures.textureParts(fitted, centre, size: s)
        let (cc, ct) = (Measures.colourDistance(fitted, centre.image), centreParts.spectrum + centreParts.orientation)
        let texture = spectrum + orientation
        let motion = Measures.motion(fitted)
        let (rc, rt, rm) = (median(randomColour), median(randomTexture), median(randomMotion))
        ratios.append((colour / rc, texture / rt))
        print(String(format: "| %@ | %.0f | %.1f / %.1f (%.2f) | %.3f / %.3f (%.2f) | %.1f / %.1f |",
                     name, seconds, colour, rc, colour / rc, texture, rt, texture / rt, motion, rm))
        if parts {
            print(String(format: "|   %@ parts | spectrum %.3f / %.3f | orientations %.3f / %.3f |", name,
                         spectrum, median(randomSpectrum), orientation, median(randomOrientation)))
            func row(_ images: [RGBImage]) -> String {
                Measures.spectrumBands(images, size: s).map { String(format: "%.3f", $0) }.joined(separator: " ")
            }
            print(String(format: "|   %@ centre crop only | colour %.1f / %.1f (%.2f) | texture %.3f / %.3f (%.2f) |", name,
                         cc, median(centreColour), cc / median(centreColour), ct, median(centreTexture), ct / median(centreTexture)))
            print("|   \(name) bands, reference | \(target.spectrum.map { String(format: "%.3f", $0) }.joined(separator: " ")) |")
            print("|   \(name) bands, fitted | \(row(fitted)) |")
            print("|   \(name) bands, random seed 1 at one latent | \(row([firstSeed!])) |")
        }
        fflush(stdout)
        try PNGWriter.write(strip([centre.image, firstSeed!, fitted[0], fitted[1]]), to: "\(out)/\(name).png")
    }
    let c = ratios.map(\.0).sorted(), t = ratios.map(\.1).sorted()
    if !ratios.isEmpty {
        print(String(format: "median ratio: colour %.2f, texture %.2f (worst %.2f, %.2f)", c[c.count / 2], t[t.count / 2], c.last!, t.last!))
    }
}

func centreCrop(_ image: RGBImage, _ s: Int) -> RGBImage {
    let w = min(s, image.width), h = min(s, image.height)
    var out = RGBImage(width: w, height: h)
    let x0 = (image.width - w) / 2, y0 = (image.height - h) / 2
    for y in 0..<h {
        for x in 0..<w {
            for c in 0..<3 { out.pixels[3 * (y * w + x) + c] = image.pixels[3 * ((y + y0) * image.width + x + x0) + c] }
        }
    }
    return out
}

func strip(_ tiles: [RGBImage]) -> RGBImage {
    let s = tiles.map(\.height).max()!, gap = 4
    let width = tiles.map(\.width).reduce(0, +) + gap * (tiles.count - 1)
    var out = RGBImage(width: width, height: s, pixels: [UInt8](repeating: 255, count: width * s * 3))
    var x0 = 0
    for tile in tiles {
        for y in 0..<tile.height { for x in 0..<tile.width { for c in 0..<3 {
            out.pixels[3 * (y * out.width + x0 + x) + c] = tile.pixels[3 * (y * tile.width + x) + c]
        } } }
        x0 += tile.width + gap
    }
    return out
}

try main()
