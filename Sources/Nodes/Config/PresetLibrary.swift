import Foundation

/// The `presets/NAME.yaml` files beside the Buildfile: each a mapping of config sections.
struct PresetLibrary {
    let root: String

    var available: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/presets")) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    func values(_ name: String, requestedAt location: SourceLocation) throws -> [String: LocatedValue] {
        let relative = "presets/\(name).yaml"
        guard name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil,
              FileManager.default.fileExists(atPath: root + "/" + relative) else {
            let hint = ConfigSchema.suggestion(for: name, among: available).map { " (did you mean \($0)?)" } ?? ""
            throw ConfigError(location, "preset '\(name)' not found (no \(relative))\(hint)")
        }
        guard let node = try YAMLSource.load(path: root + "/" + relative, displayName: relative) else { return [:] }
        return try YAMLSource.configValues(node, prefix: "", file: relative)
    }
}
