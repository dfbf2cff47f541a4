import Foundation

/// Canonical form of a recipe's parameters: Codable values flattened to dotted snake_case
/// paths (`encoder.crf` → `18`, `anchors.2.seed` → `7`). The flat map is both what the key
/// hashes and what a trace keeps, so an explanation can name the key that changed.
///
/// Written by hand (after SwiftPM's `HashEncoder`): a no-op build flattens every node's
/// parameters, and going through `JSONEncoder` + `JSONSerialization` cost ~20 µs a node.
/// Scalars are rendered as JSON scalars (strings quoted and escaped, numbers in Swift's
/// shortest round-trip form), so the text is stable across runs and machines.
public enum CanonicalParams {
    public static func flatten<P: Encodable>(_ params: P) throws -> [String: String] {
        let sink = FlatSink()
        try params.encode(to: FlatEncoder(sink: sink, path: []))
        return sink.values
    }

    /// `wanderSeed` → `wander_seed`, `renderScale2D` → `render_scale2_d`, `URLPath` → `url_path`,
    /// the same rule as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` for our names.
    static func snakeCase(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) else { return key }
        let chars = Array(key)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase {
                let afterLower = i > 0 && !chars[i - 1].isUppercase && chars[i - 1] != "_"
                let endOfAcronym = i > 0 && chars[i - 1].isUppercase && i + 1 < chars.count && chars[i + 1].isLowercase
                if afterLower || endOfAcronym { out.append("_") }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

private final class FlatSink {
    var values: [String: String] = [:]
    /// Containers opened at a path; one left empty is recorded as `{}` or `[]`.
    func set(_ path: [String], _ text: String) { values[path.isEmpty ? "value" : path.joined(separator: ".")] = text }
}

private struct FlatEncoder: Encoder {
    let sink: FlatSink
    let path: [String]
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !path.isEmpty && sink.values[path.joined(separator: ".")] == nil { sink.set(path, "{}") }
        return KeyedEncodingContainer(FlatKeyed<Key>(sink: sink, path: path))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        sink.set(path, "[]")
        return FlatUnkeyed(sink: sink, path: path)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { FlatSingle(sink: sink, path: path) }
}

/// Removes the "empty container" marker once something is written beneath it.
private func markFilled(_ sink: FlatSink, _ path: [String]) {
    guard !path.isEmpty else { return }
    sink.values[path.joined(separator: ".")] = nil
}

private struct FlatKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: FlatSink
    let path: [String]
    var codingPath: [CodingKey] { [] }

    func child(_ key: Key) -> [String] {
        markFilled(sink, path)
        return path + [CanonicalParams.snakeCase(key.stringValue)]
    }

    mutating func encodeNil(forKey key: Key) throws { sink.set(child(key), "null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { sink.set(child(key), value ? "true" : "false") }
    mutating func encode(_ value: String, forKey key: Key) throws { sink.set(child(key), CanonicalParams.quoted(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { sink.set(child(key), scalarText(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { sink.set(child(key), scalarText(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { sink.set(child(key), String(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, sink: sink, path: child(key))
    }
    // Absent optionals are left out, as JSONEncoder does.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        FlatEncoder(sink: sink, path: child(key)).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        FlatEncoder(sink: sink, path: child(key)).unkeyedContainer()
    }
    mutating func superEncoder() -> Encoder { FlatEncoder(sink: sink, path: path + ["super"]) }
    mutating func superEncoder(forKey key: Key) -> Encoder { FlatEncoder(sink: sink, path: child(key)) }
}

private struct FlatUnkeyed: UnkeyedEncodingContainer {
    let sink: FlatSink
    let path: [String]
    var count = 0
    var codingPath: [CodingKey] { [] }

    mutating func next() -> [String] {
        markFilled(sink, path)
        defer { count += 1 }
        return path + [String(count)]
    }

    mutating func encodeNil() throws { sink.set(next(), "null") }
    mutating func encode(_ value: Bool) throws { sink.set(next(), value ? "true" : "false") }
    mutating func encode(_ value: String) throws { sink.set(next(), CanonicalParams.quoted(value)) }
    mutating func encode(_ value: Double) throws { sink.set(next(), scalarText(value)) }
    mutating func encode(_ value: Float) throws { sink.set(next(), scalarText(value)) }
    mutating func encode(_ value: Int) throws { sink.set(next(), String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, sink: sink, path: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        FlatEncoder(sink: sink, path: next()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { FlatEncoder(sink: sink, path: next()).unkeyedContainer() }
    mutating func superEncoder() -> Encoder { FlatEncoder(sink: sink, path: next()) }
}

private struct FlatSingle: SingleValueEncodingContainer {
    let sink: FlatSink
    let path: [String]
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { sink.set(path, "null") }
    mutating func encode(_ value: Bool) throws { sink.set(path, value ? "true" : "false") }
    mutating func encode(_ value: String) throws { sink.set(path, CanonicalParams.quoted(value)) }
    mutating func encode(_ value: Double) throws { sink.set(path, scalarText(value)) }
    mutating func encode(_ value: Float) throws { sink.set(path, scalarText(value)) }
    mutating func encode(_ value: Int) throws { sink.set(path, String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, sink: sink, path: path) }
}

/// Scalars every Codable type bottoms out in get their JSON text; anything else encodes itself.
/// One protocol cast instead of a cast per scalar type: failed casts are what a nested struct pays.
private func encodeValue<T: Encodable>(_ value: T, sink: FlatSink, path: [String]) throws {
    if let scalar = value as? FlatScalar {
        sink.set(path, scalar.flatText)
    } else {
        try value.encode(to: FlatEncoder(sink: sink, path: path))
    }
}

private protocol FlatScalar { var flatText: String { get } }
extension String: FlatScalar { var flatText: String { CanonicalParams.quoted(self) } }
extension Bool: FlatScalar { var flatText: String { self ? "true" : "false" } }
extension Double: FlatScalar { var flatText: String { scalarText(self) } }
extension Float: FlatScalar { var flatText: String { scalarText(self) } }
extension Int: FlatScalar { var flatText: String { String(self) } }
extension Int8: FlatScalar { var flatText: String { String(self) } }
extension Int16: FlatScalar { var flatText: String { String(self) } }
extension Int32: FlatScalar { var flatText: String { String(self) } }
extension Int64: FlatScalar { var flatText: String { String(self) } }
extension UInt: FlatScalar { var flatText: String { String(self) } }
extension UInt8: FlatScalar { var flatText: String { String(self) } }
extension UInt16: FlatScalar { var flatText: String { String(self) } }
extension UInt32: FlatScalar { var flatText: String { String(self) } }
extension UInt64: FlatScalar { var flatText: String { String(self) } }

/// Integral values print without a fraction (`2`, not `2.0`) so that a YAML `2` and `2.0` agree;
/// non-finite values cannot come from YAML but get a stable spelling anyway.
private func scalarText<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> String {
    guard value.isFinite else { return value.isNaN ? "\"nan\"" : (value > 0 ? "\"inf\"" : "\"-inf\"") }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
