import Graph

/// The palette a track's look asks for (`look.palette`: a name or hex colours, else
/// `look.palette_from`: colours taken from an image) and the file it reads. The track node and
/// `still` both go through this, so a still shows the palette the video does.
struct PaletteSource {
    let look: LookConfig

    /// The image the palette is taken from; a named or listed palette wins over it.
    var imageNode: NodeID? { look.palette == nil ? look.paletteFrom.map { NodeID.file($0) } : nil }
    var nodes: [NodeID] { imageNode.map { [$0] } ?? [] }

    /// The seed of the k-means that takes colours from an image: fixed, so an image always gives one palette.
    static let extractionSeed: UInt64 = 1

    /// nil when the look keeps the generator's colours. `path` finds an input's file.
    func palette(_ path: (NodeID) -> String) throws -> Palette? {
        if let text = look.palette { return try Self.parse(text) }
        guard let node = imageNode, let relative = look.paletteFrom else { return nil }
        let image: RGBImage
        do { image = try ImageReader.read(path: path(node)) } catch {
            throw PaletteError.invalid("look.palette_from: \(relative): \(StyleRecipe.reason(error, path: path(node)))")
        }
        return try Palette.extract(from: image, colors: look.paletteColors, seed: Self.extractionSeed)
    }

    /// A palette's name, or its colours as hex ("#1b1b3a #693668 …").
    static func parse(_ text: String) throws -> Palette {
        text.contains("#") ? try Palette(parsing: text) : try Palette.named(text)
    }
}

extension LookConfig {
    /// The look as far as it changes a frame: nil without a palette, and with a named or listed
    /// palette neither `palette_from` nor `palette_colors` (the name wins). Recipes keep this in
    /// their params, so changing a look setting that does nothing re-renders nothing.
    var effective: LookConfig? {
        guard palette != nil || paletteFrom != nil else { return nil }
        var look = self
        if palette != nil {
            look.paletteFrom = nil
            look.paletteColors = LookConfig().paletteColors
        }
        return look
    }
}
