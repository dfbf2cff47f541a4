import Foundation
import XCTest
@testable import Nodes

/// F16 and BF16 tensors, built byte by byte here (not by the writer, which only writes F32), are
/// widened to exactly the Float each bit pattern means.
final class SafetensorsHalfTests: XCTestCase {
    /// A safetensors file with one tensor `t` of `dtype`, `count` values, holding `payload`
    /// (which may be shorter than the header claims, as in a truncated download).
    func file(dtype: String, count: Int, elementSize: Int, payload: [UInt8]) -> Data {
        var json = Data(#"{"t":{"dtype":"\#(dtype)","shape":[\#(count)],"data_offsets":[0,\#(count * elementSize)]}}"#.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(contentsOf: payload)
        return out
    }

    func littleEndian(_ halves: [UInt16]) -> [UInt8] { halves.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }

    func testF16WidensExactly() throws {
        // Bit patterns and the values IEEE binary16 gives them.
        let cases: [(UInt16, Float)] = [
            (0x0000, 0), (0x3c00, 1), (0xc000, -2), (0x3555, 0.333251953125),
            (0x7bff, 65504),                        // largest finite
            (0x0400, 0x1p-14),                      // smallest normal
            (0x0001, 0x1p-24),                      // smallest subnormal
            (0x03ff, 1023 * 0x1p-24),               // largest subnormal
            (0x8001, -0x1p-24),
            (0x7c00, .infinity), (0xfc00, -.infinity),
        ]
        let table = try Safetensors.parse(file(dtype: "F16", count: cases.count, elementSize: 2, payload: littleEndian(cases.map(\.0))), file: "half.safetensors")
        let values = try table.tensor("t", in: "half.safetensors").data
        XCTAssertEqual(values.count, cases.count)
        for (value, (bits, expected)) in zip(values, cases) {
            XCTAssertEqual(value.bitPattern, expected.bitPattern, String(format: "F16 %04x → %a, expected %a", bits, value, expected))
        }
        // Negative zero keeps its sign.
        let negativeZero = try Safetensors.parse(file(dtype: "F16", count: 1, elementSize: 2, payload: littleEndian([0x8000])), file: "z").tensors["t"]!.data[0]
        XCTAssertEqual(negativeZero.bitPattern, (-0.0 as Float).bitPattern)
    }

    func testBF16WidensExactly() throws {
        let cases: [(UInt16, Float)] = [
            (0x3f80, 1), (0xc040, -3), (0x3eab, 0.333984375),
            (0x7f7f, Float(bitPattern: 0x7f7f_0000)),   // largest finite
            (0x0001, Float(bitPattern: 0x0001_0000)),   // a subnormal
            (0x0080, .leastNormalMagnitude),
            (0x7f80, .infinity), (0xff80, -.infinity),
        ]
        let table = try Safetensors.parse(file(dtype: "BF16", count: cases.count, elementSize: 2, payload: littleEndian(cases.map(\.0))), file: "b.safetensors")
        let values = try table.tensor("t", in: "b.safetensors").data
        for (value, (bits, expected)) in zip(values, cases) {
            XCTAssertEqual(value.bitPattern, expected.bitPattern, String(format: "BF16 %04x → %a, expected %a", bits, value, expected))
        }
        XCTAssertTrue(values[4].isSubnormal)
    }

    func testNaNStaysNaN() throws {
        let half = try Safetensors.parse(file(dtype: "F16", count: 2, elementSize: 2, payload: littleEndian([0x7e00, 0xfd01])), file: "n").tensors["t"]!.data
        XCTAssertTrue(half.allSatisfy(\.isNaN), "\(half)")
        let brain = try Safetensors.parse(file(dtype: "BF16", count: 2, elementSize: 2, payload: littleEndian([0x7fc0, 0xff81])), file: "n").tensors["t"]!.data
        XCTAssertTrue(brain.allSatisfy(\.isNaN), "\(brain)")
        // BF16 keeps the payload: the bits are the top half of the Float's.
        XCTAssertEqual(brain[1].bitPattern, 0xff81_0000)
    }

    /// The header claims 4 F16 values (8 bytes); the file holds 6.
    func testTruncatedF16BufferIsAOneLineError() {
        let data = file(dtype: "F16", count: 4, elementSize: 2, payload: littleEndian([0x3c00, 0x3c00, 0x3c00]))
        XCTAssertThrowsError(try Safetensors.parse(data, file: "cut.safetensors")) { error in
            XCTAssertEqual("\(error)", "cut.safetensors: malformed safetensors: tensor 't' (F16) data offsets 0..<8 run past the file's 6 data bytes: truncated")
        }
        // A shape that needs F32's 16 bytes cannot pass as F16 (8 bytes) or the other way round.
        XCTAssertThrowsError(try Safetensors.parse(file(dtype: "BF16", count: 4, elementSize: 4, payload: [UInt8](repeating: 0, count: 16)), file: "w")) { error in
            XCTAssertTrue("\(error)".contains("data offsets do not match its shape"), "\(error)")
        }
    }

    /// Half tensors feed the same code as F32 ones: the reader's result is plain Floats, and the
    /// writer's F32 round trip keeps them bit for bit.
    func testHalfTensorsRoundTripAsF32() throws {
        let table = try Safetensors.parse(file(dtype: "F16", count: 3, elementSize: 2, payload: littleEndian([0x3c00, 0x0001, 0xfc00])), file: "h")
        let again = try Safetensors.parse(table.serialized(), file: "again")
        XCTAssertEqual(again.tensors["t"]!.data.map(\.bitPattern), table.tensors["t"]!.data.map(\.bitPattern))
        XCTAssertTrue(again.serialized().range(of: Data(#""dtype":"F32""#.utf8)) != nil)
    }

    func testOtherDtypesAreStillRefused() {
        XCTAssertThrowsError(try Safetensors.parse(file(dtype: "F64", count: 1, elementSize: 8, payload: [UInt8](repeating: 0, count: 8)), file: "d")) { error in
            XCTAssertEqual("\(error)", "d: malformed safetensors: tensor 't' has dtype F64; only F32, F16 and BF16 are supported")
        }
    }
}
