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
    public var hex: String {
        // By hand: String(format:) costs microseconds, and every object path and log line needs this.
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for i in 0..<16 {
                buffer[i] = digits[Int((high >> UInt64(60 - 4 * i)) & 0xF)]
                buffer[16 + i] = digits[Int((low >> UInt64(60 - 4 * i)) & 0xF)]
            }
            return 32
        }
    }
    /// The first 4 hex digits, for humans (`3f9a…`).
    public var short: String { String(hex.prefix(4)) + "…" }
    public var description: String { hex }

    public init?(hex: String) {
        var text = hex
        guard let d = text.withUTF8({ Digest(hexBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = d
    }

    /// Parses 32 lowercase or uppercase hex digits (a log line's field, without making a String).
    public init?<Bytes: Collection>(hexBytes: Bytes) where Bytes.Element == UInt8 {
        guard hexBytes.count == 32 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        for (i, byte) in hexBytes.enumerated() {
            let nibble: UInt8
            switch byte {
            case 48...57: nibble = byte - 48
            case 97...102: nibble = byte - 87
            case 65...70: nibble = byte - 55
            default: return nil
            }
            if i < 16 { words.0 = words.0 << 4 | UInt64(nibble) } else { words.1 = words.1 << 4 | UInt64(nibble) }
        }
        self.init(high: words.0, low: words.1)
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
public final class Hasher128 {
    private let state: OpaquePointer

    public init() {
        state = XXH3_createState()
        XXH3_128bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    public func update(_ data: Data) {
        data.withUnsafeBytes { _ = XXH3_128bits_update(state, $0.baseAddress, $0.count) }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        _ = XXH3_128bits_update(state, bytes.baseAddress, bytes.count)
    }

    /// Hashes a length-prefixed string, so that ("ab","c") and ("a","bc") differ.
    public func update(field: String) {
        var length = UInt64(field.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { update($0) }
        var text = field
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    public func update(digest: Digest) {
        var words = (digest.high.littleEndian, digest.low.littleEndian)
        withUnsafeBytes(of: &words) { update($0) }
    }

    public func finalize() -> Digest {
        let h = XXH3_128bits_digest(state)
        XXH3_128bits_reset(state)
        return Digest(high: h.high64, low: h.low64)
    }
}
