import Foundation

/// The element types a safetensors file may hold that ntsbuild reads, and their widening to
/// Float. Both half formats widen exactly (every F16 and BF16 value is a Float), subnormals,
/// infinities and signed zeros included; NaN stays NaN (F16's payload is quieted by the
/// conversion, BF16's is kept as the top half of the Float's bits). The consumers treat
/// non-finite weights as they treat an F32 file's.
enum TensorDType: String, Sendable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    /// Bytes per value.
    var size: Int { self == .f32 ? 4 : 2 }

    /// The little-endian values in `bytes` (a whole number of elements) as Floats.
    func floats(_ bytes: Data) -> [Float] {
        let count = bytes.count / size
        return bytes.withUnsafeBytes { raw in
            switch self {
            case .f32:
                return (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            case .f16:
                // The standard library's IEEE binary16 (hardware F16C conversion where available).
                return (0..<count).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
            case .bf16:
                // bfloat16 is the top half of a binary32: widening is a shift.
                return (0..<count).map { Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16) }
            }
        }
    }
}
