import Foundation

/// A track's configuration as dotted keys and their values as YAML would write them
/// (`encoder.crf` → `18`, `generator.weights` → `null`), for `ntsbuild config show`.
public enum ResolvedConfig {
    public static func flatten(_ config: TrackConfig) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(config),
              let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var values: [String: String] = [:]
        for key in ConfigSchema.types.keys {
            let parts = key.split(separator: ".").map(String.init)
            let value = (tree[parts[0]] as? [String: Any])?[parts[1]]
            values[key] = text(value, bool: ConfigSchema.types[key] == .bool)
        }
        return values
    }

    static func text(_ value: Any?, bool: Bool) -> String {
        switch value {
        case nil, is NSNull: return "null"
        case let string as String: return string
        case let number as NSNumber:
            if bool { return number.boolValue ? "true" : "false" }
            return number.stringValue
        default: return "\(value!)"
        }
    }
}
