import Foundation

/// A track's resolved look as the gallery lists it: the presets it uses, the generator and its
/// style, the palette (with swatches) and the post-effects that are on. Read from the run
/// record's resolved config, so the page says what this run actually rendered with.
enum GallerySettings {
    struct Entry: Equatable {
        var key: String
        var value: String
        /// `#rrggbb` colours to show after the value.
        var swatches: [String] = []
    }

    /// `presets`: the preset names whose files gave the track any value.
    static func entries(_ config: TrackConfig, presets: [String]) -> [Entry] {
        var out: [Entry] = []
        if !presets.isEmpty { out.append(Entry(key: "preset", value: presets.joined(separator: ", "))) }
        let g = config.generator
        var generator = g.kind
        if g.kind == "cppn" { generator += " \(g.layers)×\(g.hidden), seed \(g.seed)" }
        generator += String(format: ", render scale %g", g.renderScale)
        out.append(Entry(key: "generator", value: generator))
        if let style = g.style ?? g.weights { out.append(Entry(key: "style", value: style)) }
        out.append(palette(config.look))
        let p = config.postfx
        var effects = ["tone \(p.toneCurve)"]
        for (name, amount) in [("vignette", p.vignette), ("chroma shift", p.chromaShift), ("grain", p.grain), ("flash", p.flash)] where amount != 0 {
            effects.append(String(format: "%@ %g", name, amount))
        }
        if p.trails { effects.append("trails") }
        out.append(Entry(key: "post-effects", value: effects.joined(separator: ", ")))
        let c = config.controller
        out.append(Entry(key: "motion", value: String(format: "pulse %g, motion %g, smoothing %g", c.pulse, c.motion, c.smoothing)))
        out.append(Entry(key: "output", value: "\(config.output.width)×\(config.output.height) at \(config.output.fps) fps, crf \(config.encoder.crf)"))
        return out
    }

    static func palette(_ look: LookConfig) -> Entry {
        let motion = String(format: ", motion %g", look.paletteMotion)
        if let from = look.paletteFrom {
            return Entry(key: "palette", value: "from \(from) (\(look.paletteColors) colours)" + motion)
        }
        guard let text = look.palette?.trimmingCharacters(in: .whitespaces) else {
            return Entry(key: "palette", value: "the generator's own colours")
        }
        // Swatches for a library name or a hex list, the two forms a palette is written in.
        let colours = text.hasPrefix("#") ? text : PaletteLibrary.table.first { $0.name == text }?.colors ?? ""
        let swatches = colours.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init).filter { $0.hasPrefix("#") && $0.dropFirst().allSatisfy(\.isHexDigit) }
        return Entry(key: "palette", value: (text.hasPrefix("#") ? "custom" : text) + motion, swatches: swatches)
    }

    /// Preset names from where a track's values came from (`presets/<name>.yaml`).
    static func presets(from locations: [String: SourceLocation]) -> [String] {
        Set(locations.values.compactMap { location -> String? in
            let file = location.file
            guard file.hasPrefix("presets/"), file.hasSuffix(".yaml") else { return nil }
            return String(file.dropFirst("presets/".count).dropLast(".yaml".count))
        }).sorted()
    }

    static func html(_ entries: [Entry]) -> String {
        let e = HTML.escape
        var h = "<dl class=\"settings\">"
        for entry in entries {
            let swatches = entry.swatches.map { "<span class=\"swatch\" style=\"background:\(e($0))\" title=\"\(e($0))\"></span>" }.joined()
            h += "<dt>\(e(entry.key))</dt><dd>\(e(entry.value))\(swatches.isEmpty ? "" : " " + swatches)</dd>"
        }
        return h + "</dl>\n"
    }
}
