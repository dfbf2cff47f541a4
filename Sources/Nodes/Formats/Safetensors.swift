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
/// Written by hand because no Swift package for it is available here; only F32 is supported.
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

    public static func parse(_ data: Data, file: String) throws -> Safetensors {
        guard data.count >= 8 else { throw SafetensorsError.malformed(file: file, reason: "shorter than its 8-byte header length") }
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
        guard headerLength <= UInt64(data.count - 8) else { throw SafetensorsError.malformed(file: file, reason: "header length \(headerLength) exceeds file size") }
        let headerEnd = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) as? [String: Any] else {
            throw SafetensorsError.malformed(file: file, reason: "header is not a JSON object")
        }
        var result = Safetensors()
        if let meta = header["__metadata__"] as? [String: String] { result.metadata = meta }
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int],
                  let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' has a malformed entry")
            }
            guard dtype == "F32" else { throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            let count = shape.reduce(1, *)
            let start = headerEnd + offsets[0], end = headerEnd + offsets[1]
            guard offsets[0] >= 0, end <= data.count, end - start == count * 4 else {
                throw SafetensorsError.malformed(file: file, reason: "tensor '\(name)' data offsets do not match its shape")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in
                data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: start..<end)
            }
            result.tensors[name] = Tensor(shape: shape, data: values.map { Float(bitPattern: $0.bitPattern.littleEndian) })
        }
        return result
    }

    public static func read(path: String) throws -> Safetensors {
        guard let data = FileManager.default.contents(atPath: path) else { throw SafetensorsError.unreadable(file: path) }
        return try parse(data, file: path)
    }
}

public enum SafetensorsError: Error, CustomStringConvertible {
    case unreadable(file: String)
    case malformed(file: String, reason: String)
    case missingTensor(file: String, name: String)

    public var description: String {
        switch self {
        case .unreadable(let file): return "\(file): cannot read safetensors file"
        case .malformed(let file, let reason): return "\(file): malformed safetensors: \(reason)"
        case .missingTensor(let file, let name): return "\(file): no tensor named '\(name)'"
        }
    }
}
