import Foundation
import Graph

/// A contact sheet of one CPPN style: the same grid of latents for every style (seeded draws from
/// N(0, I), the controller's range), so sheets side by side compare the styles, and the spread
/// within a sheet shows how far the music can move the picture.
public enum StyleSheet {
    public static let columns = 4
    public static let rows = 2
    public static let tile = (width: 240, height: 135)

    /// The sheet of the style file at `path` (a safetensors CPPN style), at its own latent size.
    public static func render(styleFile path: String) throws -> RGBImage {
        let file = try Safetensors.read(path: path)
        guard let latentDim = file.metadata["latent_dim"].flatMap(Int.init), (1...512).contains(latentDim) else {
            throw CPPNError.badStyle(file: path, reason: "metadata 'latent_dim' missing or out of range")
        }
        let cppn = CPPN(weights: try CPPNWeights(style: file, file: path, latentDim: latentDim))
        var random = SeededRandom(seed: 0x5EE7)
        let gap = 4
        let width = columns * tile.width + (columns - 1) * gap, height = rows * tile.height + (rows - 1) * gap
        var sheet = RGBImage(width: width, height: height, pixels: [UInt8](repeating: 16, count: width * height * 3))
        for row in 0..<rows {
            for column in 0..<columns {
                let latent = (0..<latentDim).map { _ in random.nextGaussian() }
                let image = cppn.render(latent: latent[...], width: tile.width, height: tile.height)
                let x0 = column * (tile.width + gap), y0 = row * (tile.height + gap)
                for y in 0..<tile.height {
                    let source = 3 * y * tile.width, target = 3 * ((y0 + y) * width + x0)
                    sheet.pixels.replaceSubrange(target..<(target + 3 * tile.width), with: image.pixels[source..<(source + 3 * tile.width)])
                }
            }
        }
        return sheet
    }

    /// The styles a project can show: its `styles:` entries (built through the graph, so cached)
    /// and the style files in `styles/` beside the Buildfile (the library), by name.
    public static func available(in workspace: Workspace) -> (entries: [String], library: [String: String]) {
        let folder = workspace.project.root + "/styles"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".safetensors") }
        let library = Dictionary(uniqueKeysWithValues: files.map { (String($0.dropLast(".safetensors".count)), folder + "/" + $0) })
        return (workspace.project.styles.map(\.name), library)
    }
}
