import CXXHash
import Foundation

/// A 128-bit XXH3 content hash: the identity of every key and every stored object.
public struct Digest: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func of(_ data: Data) -> Digest {
        var hasher = Hasher128()
        hasher.update(data)
        return hasher.finalize()
    }

    public static func of(_ string: String) -> Digest { of(Data(string.utf8)) }

    /// 32 lowercase hex digits.
    public var hex: String { String(format: "%016llx%016llx", high, low) }
    /// The first 4 hex digits, for humans (`3f9a…`).
    public var short: String { String(hex.prefix(4)) + "…" }
    public var description: String { hex }

    public init?(hex: String) {
        guard hex.count == 32, let h = UInt64(hex.prefix(16), radix: 16), let l = UInt64(hex.suffix(16), radix: 16) else { return nil }
        self.init(high: h, low: l)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a 128-bit hex digest: \(text)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }

    public static func < (a: Digest, b: Digest) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// Streaming XXH3-128 (libxxhash), for files too large to hold in memory.
public struct Hasher128 {
    private var state: OpaquePointer

    public init() {
        state = XXH3_createState()
        XXH3_128bits_reset(state)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { _ = XXH3_128bits_update(state, $0.baseAddress, $0.count) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        _ = XXH3_128bits_update(state, bytes.baseAddress, bytes.count)
    }

    /// Hashes a length-prefixed string, so that ("ab","c") and ("a","bc") differ.
    public mutating func update(field: String) {
        var length = UInt64(field.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { update($0) }
        update(Data(field.utf8))
    }

    public mutating func finalize() -> Digest {
        let h = XXH3_128bits_digest(state)
        XXH3_freeState(state)
        state = XXH3_createState()
        XXH3_128bits_reset(state)
        return Digest(high: h.high64, low: h.low64)
    }

    /// Hashes a whole file in 1 MiB blocks.
    public static func hashFile(atPath path: String) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? handle.close() }
        var hasher = Hasher128()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalize()
    }
}
