import Foundation

/// Turns a flat map of dotted keys into the typed sections, defaults first.
enum ConfigCoding {
    static func decode(_ values: [String: LocatedValue]) throws -> TrackConfig {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var tree = try JSONSerialization.jsonObject(with: encoder.encode(TrackConfig())) as! [String: Any]
        for (key, located) in values {
            let parts = key.split(separator: ".").map(String.init)
            guard parts.count == 2 else { continue }
            var section = tree[parts[0]] as? [String: Any] ?? [:]
            section[parts[1]] = located.value.json
            tree[parts[0]] = section
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TrackConfig.self, from: JSONSerialization.data(withJSONObject: tree))
    }
}
