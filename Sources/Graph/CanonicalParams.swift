import Foundation

/// Canonical form of a recipe's parameters: Codable values encoded as JSON with sorted keys and
/// snake_case names, then flattened to dotted paths (`encoder.crf` → `18`). The flat map is both
/// what the key hashes and what a trace keeps, so an explanation can name the key that changed.
public enum CanonicalParams {
    public static func flatten<P: Encodable>(_ params: P) throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(params)
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        var flat: [String: String] = [:]
        flattenValue(object, prefix: "", into: &flat)
        return flat
    }

    private static func flattenValue(_ value: Any, prefix: String, into flat: inout [String: String]) {
        if let dict = value as? [String: Any], !dict.isEmpty {
            for (k, v) in dict { flattenValue(v, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &flat) }
        } else {
            flat[prefix.isEmpty ? "value" : prefix] = canonicalText(value)
        }
    }

    /// JSON text of a scalar or array, stable across runs.
    static func canonicalText(_ value: Any) -> String {
        if value is NSNull { return "null" }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
