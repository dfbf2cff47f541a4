import Foundation
import XCTest
@testable import Nodes

/// Hostile safetensors headers end in a one-line error naming the file, never a trap or an
/// allocation the file's bytes do not back.
final class SafetensorsHostileTests: XCTestCase {
    /// A file with `header` as its JSON header followed by `dataBytes` bytes of data.
    func file(_ header: String, dataBytes: Int = 16) -> Data {
        var json = Data(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(Data(repeating: 0, count: dataBytes))
        return out
    }

    func assertRejected(_ data: Data, containing fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.parse(data, file: "style.safetensors"), file: file, line: line) { error in
            guard let error = error as? SafetensorsError else { return XCTFail("\(error) is not a SafetensorsError", file: file, line: line) }
            XCTAssertTrue(error.description.hasPrefix("style.safetensors: "), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(fragment), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line", file: file, line: line)
        }
    }

    func testNegativeShapeEntry() {
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#), containing: "shape [-4]")
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}"#), containing: "shape [-2, -2]")
    }

    func testShapeProductOverflows() {
        let huge = 1 << 40
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[\#(huge),\#(huge)],"data_offsets":[0,16]}}"#), containing: "larger than the file")
        // Wraps to exactly 16 bytes in 64-bit arithmetic: 4 · 2^62 · 4 + 16.
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[\#(1 << 62),4],"data_offsets":[0,16]}}"#), containing: "larger than the file")
    }

    func testOffsetsNearTheTopOfTheRange() {
        let top = Int.max - 4
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[4],"data_offsets":[\#(top - 16),\#(top)]}}"#), containing: "data offsets")
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}"#), containing: "data offsets")
        assertRejected(file(#"{"t":{"dtype":"F32","shape":[4],"data_offsets":[-16,0]}}"#), containing: "data offsets")
    }

    /// Two tensors over the same bytes: each fits, together they would let a small file claim
    /// any amount of memory.
    func testOverlappingTensors() {
        assertRejected(file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#),
                       containing: "overlap")
    }

    /// A text file's first 8 bytes are not echoed as a "header length".
    func testNotASafetensorsFile() throws {
        let shadow = Data("root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n".utf8)
        assertRejected(shadow, containing: "not a safetensors file")
        XCTAssertThrowsError(try Safetensors.parse(shadow, file: "x")) { error in
            XCTAssertEqual("\(error)", "x: not a safetensors file")
        }
        assertRejected(Data([1, 2, 3]), containing: "not a safetensors file")
        assertRejected(Data(repeating: 0, count: 64), containing: "not a safetensors file")
        // A plausible length but no JSON object after it.
        var bogus = Data([8, 0, 0, 0, 0, 0, 0, 0])
        bogus.append(Data("notjson!".utf8))
        assertRejected(bogus, containing: "not a safetensors file")
    }

    func testNamesWithLineBreaksStayOnOneLine() {
        assertRejected(file(#"{"a\nb\u2028c":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#), containing: #"a\nb\u{2028}c"#)
    }

    /// Valid files still read, including the edge shapes: a scalar and an empty tensor.
    func testValidEdgeShapesRoundTrip() throws {
        let table = Safetensors(tensors: ["scalar": Tensor(shape: [], data: [2.5]), "empty": Tensor(shape: [0, 3], data: []),
                                          "m": Tensor(shape: [2, 2], data: [1, 2, 3, 4])], metadata: ["k": "v"])
        let parsed = try Safetensors.parse(table.serialized(), file: "ok")
        XCTAssertEqual(parsed.tensors, table.tensors)
        XCTAssertEqual(parsed.metadata, ["k": "v"])
        // Parsing a slice of a larger buffer reads the same bytes.
        var padded = Data([0xFF, 0xFF]) + table.serialized()
        padded = padded.dropFirst(2)
        XCTAssertEqual(try Safetensors.parse(padded, file: "ok").tensors, table.tensors)
    }
}
