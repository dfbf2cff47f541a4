/// An 8-bit RGB image, interleaved (R, G, B per pixel), rows top to bottom.
/// The one pixel format that flows between generator, shard files and post-effects.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]? = nil) {
        precondition(width > 0 && height > 0, "image must not be empty")
        self.width = width
        self.height = height
        self.pixels = pixels ?? [UInt8](repeating: 0, count: width * height * 3)
        precondition(self.pixels.count == width * height * 3, "pixel buffer does not match size")
    }

    public var byteCount: Int { width * height * 3 }
}
