import Foundation
import Nodes

/// The safetensors reader on arbitrary bytes; what it accepts must round-trip through the writer.
enum SafetensorsFuzz {
    static func run(_ input: Data) {
        do {
            let table = try Safetensors.parse(input, file: "fuzz.safetensors")
            let again = try Safetensors.parse(table.serialized(), file: "again.safetensors")
            // NaN payloads compare unequal as floats; compare bits.
            for (name, tensor) in table.tensors {
                guard let other = again.tensors[name], other.shape == tensor.shape,
                      other.data.map(\.bitPattern) == tensor.data.map(\.bitPattern) else {
                    fatalError("safetensors: tensor \(name.debugDescription) does not round-trip")
                }
            }
        } catch {
            guard error is SafetensorsError else { fatalError("safetensors: untyped error \(error)") }
            requireOneLine(error, .safetensors)
        }
    }
}
