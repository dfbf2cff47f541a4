import Foundation
import Yams

/// The Buildfile's `styles:` list: each entry a style to fit (`StyleSettings`), e.g.
///
///     styles:
///       - {name: ember, reference: styles/references/coffee.png, steps: 400, size: 96, seed: 1}
///
/// A track uses one with `generator.style: ember` (with `generator.kind: cppn`, the default).
enum StylesSection {
    static let keys = ["name", "reference"] + StyleSettings.ranges.keys.sorted()

    static func parse(_ node: Node, file: String) throws -> [StyleSettings] {
        guard case .sequence(let items) = node else {
            throw ConfigError(YAMLSource.location(node, file), "styles must be a list of {name, reference, …} entries")
        }
        var styles: [StyleSettings] = []
        var seen: [String: SourceLocation] = [:]
        for item in items {
            let style = try entry(item, file: file)
            let location = YAMLSource.location(item, file)
            if let first = seen[style.name] {
                throw ConfigError(location, "style '\(style.name)' is defined twice (first at \(first))")
            }
            seen[style.name] = location
            styles.append(style)
        }
        return styles
    }

    static func entry(_ node: Node, file: String) throws -> StyleSettings {
        var name: String?, reference: String?
        // Snake-case key → number, decoded into the settings' own fields below (ints as ints).
        var numbers: [String: Any] = [:]
        for (key, keyNode, value) in try YAMLSource.mapping(node, file, what: "a styles entry") {
            let location = YAMLSource.location(value, file)
            switch key {
            case "name":
                let text = try BuildfileLoader.string(value, file, key: "styles.name")
                guard text.range(of: "^[a-z0-9-]{1,64}$", options: .regularExpression) != nil else {
                    throw ConfigError(location, "style name '\(text)' must match [a-z0-9-]+ (at most 64 characters)")
                }
                name = text
            case "reference": reference = try BuildfileLoader.string(value, file, key: "styles.reference")
            default:
                guard let range = StyleSettings.ranges[key] else {
                    let hint = ConfigSchema.suggestion(for: key, among: keys).map { " (did you mean \($0)?)" } ?? ""
                    throw ConfigError(YAMLSource.location(keyNode, file), "unknown key styles.\(key)\(hint)")
                }
                let number: Double
                switch try YAMLSource.value(value, file) {
                case .int(let v): number = Double(v)
                case .float(let v) where !StyleSettings.integerKeys.contains(key): number = v
                default: number = .nan
                }
                let kind = StyleSettings.integerKeys.contains(key) ? "an integer" : "a number"
                guard number.isFinite, range.contains(number) else {
                    throw ConfigError(location, "styles.\(key): expected \(kind) in \(range.lowerBound.clean)...\(range.upperBound.clean)")
                }
                numbers[key] = StyleSettings.integerKeys.contains(key) ? Int(number) as Any : number
            }
        }
        guard let name else { throw ConfigError(YAMLSource.location(node, file), "a styles entry has no name") }
        guard let reference else { throw ConfigError(YAMLSource.location(node, file), "style '\(name)' has no reference image") }
        // Defaults, then the entry's values, through the settings' Codable form (as ConfigCoding does).
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var fields = try JSONSerialization.jsonObject(with: encoder.encode(StyleSettings(name: name, reference: reference))) as! [String: Any]
        fields.merge(numbers) { _, new in new }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let settings = try decoder.decode(StyleSettings.self, from: JSONSerialization.data(withJSONObject: fields)).canonical()
        guard settings.fitMemory <= StyleSettings.maximumFitMemory else {
            let gib = { (bytes: Double) -> String in
                let v = bytes / 1024 / 1024 / 1024
                return v >= 10 ? String(format: "%.0f", v) : String(format: "%g", (v * 10).rounded() / 10)
            }
            throw ConfigError(YAMLSource.location(node, file),
                              "style '\(name)' would need about \(gib(settings.fitMemory)) GiB to fit (batch × size² × hidden × layers); "
                              + "the limit is \(gib(StyleSettings.maximumFitMemory)) GiB: lower size, batch, hidden or layers")
        }
        return settings
    }
}

private extension Double {
    /// 1 rather than 1.0, 1e-06 as written.
    var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
