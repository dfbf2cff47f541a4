import Foundation
import Nodes

/// The reference-image reader (PNG, JPEG, WebP through libavcodec) on arbitrary bytes: every
/// input ends in an image of the size its header claims or a typed one-line error; what decodes
/// is then fed to the palette extraction and the style loss's downsampling, as a style node would.
enum ImageFuzz {
    /// Far below the reader's default, so a header claiming a huge picture is a fast refusal and
    /// an accepted one stays cheap enough for millions of inputs.
    static let maxPixels = 4_000_000

    static func run(_ input: Data) {
        let path = ScratchFile.write(input, name: "image")
        do {
            let image = try ImageReader.read(path: path, maxPixels: maxPixels)
            guard image.width * image.height <= maxPixels, image.pixels.count == image.width * image.height * 3 else {
                fatalError("image: \(image.width)×\(image.height) with \(image.pixels.count) bytes")
            }
            let small = ImageReader.downsample(image, maxSide: 64)
            _ = try Palette.extract(from: small, colors: 3, seed: 1)
        } catch {
            guard error is ImageError || error is PaletteError else { fatalError("image: untyped error \(error)") }
            requireOneLine(error, .image)
        }
    }
}
