import Foundation

/// A float32 tensor with a shape, row-major.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "tensor shape \(shape) does not match \(data.count) values")
        self.shape = shape
        self.data = data
    }

    /// Row `i` of a 2-D tensor (or element `i` of a 1-D one, as a single-element array).
    public func row(_ i: Int) -> ArraySlice<Float> {
        let width = shape.count > 1 ? shape[1...].reduce(1, *) : 1
        return data[(i * width)..<((i + 1) * width)]
    }
}

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header (dtype, shape, byte offsets per tensor, optional `__metadata__`
/// of string → string), then the raw little-endian data. Readable by numpy/torch users.
/// Written by hand because no Swift package for it is available here. F32 tensors are read as
/// they are; F16 and BF16 ones (what PyTorch exports in half precision) are widened to Float on
/// load, exactly (`TensorDType`); files are always written as F32.
public struct Safetensors: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public func tensor(_ name: String, in file: String) throws -> Tensor {
        guard let t = tensors[name] else { throw SafetensorsError.missingTensor(file: file, name: name) }
        return t
    }

    /// Bytes with tensors in sorted-name order and sorted JSON keys, so equal content gives equal bytes.
    public func serialized() -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let size = t.data.count * 4
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        // Pad the header with spaces to an 8-byte boundary, as the reference implementation does.
        while (json.count % 8) != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        for name in names {
            tensors[name]!.data.withUnsafeBufferPointer { buffer in
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self), count: buffer.count * 4))
            }
        }
        return out
    }

    /// The reference implementation's bound on the JSON header (100 MB).
    static let maxHeaderLength = 100_000_000

    /// Every count and offset in the header is checked with overflow-reporting arithmetic against
    /// the file's size before anything is allocated, and tensors may not share bytes: whatever the
    /// header claims, the values held in memory never exceed the file's data.
    public static func parse(_ data: Data, file: String) throws -> Safetensors {
        // A header is at least `{}` after the 8-byte length. Anything else is not this format; the
        // length is not echoed, since for a text file it would be the file's first 8 bytes.
        guard data.count >= 10 else { throw SafetensorsError.notSafetensors(file: file) }
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
        guard headerLength >= 2, headerLength <= UInt64(min(data.count - 8, maxHeaderLength)),
              data[data.startIndex + 8] == UInt8(ascii: "{") else {
            throw SafetensorsError.notSafetensors(file: file)
        }
        let headerEnd = 8 + Int(headerLength)
        let base = data.startIndex
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: (base + 8)..<(base + headerEnd))) as? [String: Any] else {
            throw SafetensorsError.malformed(file: file, reason: "header is not a JSON object")
        }
        let dataBytes = data.count - headerEnd
        var result = Safetensors()
        if let meta = header["__metadata__"] as? [String: String] { result.metadata = meta }
        var claimed: [(range: Range<Int>, key: String, shape: [Int], type: TensorDType)] = []
        for (key, value) in header where key != "__metadata__" {
            let name = printable(key)
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int],
                  let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' has a malformed entry")
            }
            guard let type = TensorDType(rawValue: dtype) else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' has dtype \(printable(dtype)); only F32, F16 and BF16 are supported")
            }
            // Not bounded by the file here, so that a short file says it is truncated; the offsets are.
            guard let bytes = byteCount(shape: shape, elementSize: type.size, limit: .max) else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' has shape \(shape), which is negative or larger than the file")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] - offsets[0] == bytes else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' data offsets do not match its shape")
            }
            guard offsets[1] <= dataBytes else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' (\(type.rawValue)) data offsets \(offsets[0])..<\(offsets[1]) run past the file's \(dataBytes) data bytes: truncated")
            }
            claimed.append((offsets[0]..<offsets[1], key, shape, type))
        }
        // Tensors sharing bytes would let a small file claim any amount of memory.
        claimed.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (a, b) in zip(claimed, claimed.dropFirst()) where b.range.lowerBound < a.range.upperBound {
            throw SafetensorsError.malformed(file: file, reason: "tensors '\(printable(a.key))' and '\(printable(b.key))' overlap")
        }
        for (range, key, shape, type) in claimed {
            let bytes = data[(base + headerEnd + range.lowerBound)..<(base + headerEnd + range.upperBound)]
            result.tensors[key] = Tensor(shape: shape, data: type.floats(bytes))
        }
        return result
    }

    /// A name from the file as it may appear in a one-line message.
    static func printable(_ text: String) -> String { OneLine.escaped(text, limit: 80) }

    /// The bytes of a tensor of `shape` with `elementSize`-byte values, or nil when an entry is
    /// negative or the size exceeds `limit` (checked after every factor, so no product can overflow).
    static func byteCount(shape: [Int], elementSize: Int = 4, limit: Int) -> Int? {
        var bytes = elementSize
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (product, overflow) = bytes.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            bytes = product
        }
        // A zero extent makes any other extent harmless; otherwise the data must fit in the file.
        return bytes <= limit ? bytes : nil
    }

    public static func read(path: String) throws -> Safetensors {
        guard let data = FileManager.default.contents(atPath: path) else { throw SafetensorsError.unreadable(file: path) }
        return try parse(data, file: path)
    }
}

public enum SafetensorsError: Error, CustomStringConvertible {
    case unreadable(file: String)
    case notSafetensors(file: String)
    case malformed(file: String, reason: String)
    case missingTensor(file: String, name: String)

    public var description: String {
        switch self {
        case .unreadable(let file), .notSafetensors(let file), .malformed(let file, _), .missingTensor(let file, _):
            return "\(file): \(reason)"
        }
    }

    /// What is wrong, without the file's name: for a caller that names the file itself.
    public var reason: String {
        switch self {
        case .unreadable: return "cannot read safetensors file"
        case .notSafetensors: return "not a safetensors file"
        case .malformed(_, let reason): return "malformed safetensors: \(reason)"
        case .missingTensor(_, let name): return "no tensor named '\(name)'"
        }
    }
}
