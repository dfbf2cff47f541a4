/// The palettes shipped with ntsbuild, dark to light so each reads as a ramp when a frame's
/// brightness drives the position along it. Chosen to differ in hue family and contrast, not
/// only in tint: warm fire, cold ice, night blues, soft pastels, saturated neon, greens, film
/// browns, neutral ink, hot yellow, violet, and a dusk of plums and pinks.
public enum PaletteLibrary {
    static let table: [(name: String, colors: String)] = [
        ("ember", "#0d0405 #3b0a0a #7a1c0c #c2410c #f59e0b #fde68a"),
        ("glacier", "#06141f #0f3a52 #1f6f8b #5fb3c9 #b8e3ec #f2fbfd"),
        ("nocturne", "#05060f #0b1033 #1b2a6b #3450a1 #6b8fd6 #c7d6f5"),
        ("pastel", "#6d6a8f #9aa5d1 #c9a7d8 #f2a7c3 #f7c8a0 #fbe7a1 #eef8f0"),
        ("neon", "#0b0221 #3d0a6b #b0108f #ff2e88 #ff9f1c #2ef2ff #e9ff70"),
        ("forest", "#07140c #1e3b24 #3d6b35 #7a9a4a #c3c88c #eef0d8"),
        ("sepia", "#1a120b #3c2a1e #6b4f36 #a07c57 #d2b48c #f4e9d8"),
        ("ink", "#0a0a0a #2b2b2b #5c5c5c #9a9a9a #d6d6d6 #fafafa"),
        ("solar", "#1a0b00 #6b2d00 #d9480f #ff922b #ffd43b #fff9db"),
        ("ultraviolet", "#0d0221 #261447 #5f0f99 #9d4edd #c77dff #f0d9ff"),
        ("dusk", "#1b1b3a #693668 #a74482 #f84aa7 #ff9e9e #ffe3d8"),
    ]

    public static var names: [String] { table.map(\.name) }

    /// The library's palette called `name`; an unknown name suggests the closest one.
    public static func named(_ name: String) throws -> Palette {
        guard let entry = table.first(where: { $0.name == name }) else {
            throw PaletteError.unknownName(name, suggestion: ConfigSchema.suggestion(for: name, among: names))
        }
        return try Palette(parsing: entry.colors)
    }
}

extension Palette {
    /// A palette from the built-in library (`PaletteLibrary.named`).
    public static func named(_ name: String) throws -> Palette { try PaletteLibrary.named(name) }
}
