import Foundation
import XCTest
@testable import Nodes

/// The conv generator against an independent numpy forward pass (scripts/make_conv_reference.py).
final class LookConvTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    var stylePath: String { Self.fixtures.appendingPathComponent("conv-tiny.safetensors").path }

    func reference() throws -> (latent: [Float], image: Tensor) {
        let path = Self.fixtures.appendingPathComponent("conv-tiny-reference.safetensors").path
        let table = try Safetensors.read(path: path)
        return (try table.tensor("latent", in: path).data, try table.tensor("image", in: path))
    }

    func testForwardMatchesNumpyReference() throws {
        let generator = try ConvGenerator(path: stylePath, latentDim: 8)
        XCTAssertEqual(generator.outputSize, 16)
        let (latent, expected) = try reference()
        XCTAssertEqual(expected.shape, [3, 16, 16])
        let output = generator.forward(latent: latent[...])
        XCTAssertEqual(output.count, expected.data.count)
        let worst = zip(output, expected.data).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-4, "max abs error against numpy")
        // The fixture is not trivially saturated: many values lie well inside (-1, 1).
        XCTAssertGreaterThan(expected.data.filter { abs($0) < 0.9 }.count, 200)
    }

    func testRenderCoversFrameAndIsDeterministic() throws {
        let generator = try ConvGenerator(path: stylePath, latentDim: 8)
        let (latent, _) = try reference()
        let a = generator.render(latent: latent[...], width: 48, height: 32, zoom: 1, rotation: 0)
        XCTAssertEqual(a.width, 48)
        XCTAssertEqual(a.height, 32)
        XCTAssertEqual(a, generator.render(latent: latent[...], width: 48, height: 32, zoom: 1, rotation: 0))
        var other = latent
        other[0] += 1
        XCTAssertNotEqual(a, generator.render(latent: other[...], width: 48, height: 32, zoom: 1, rotation: 0))
        // At the native size the bytes are the forward pass mapped [-1, 1] → [0, 255].
        let native = generator.render(latent: latent[...], width: 16, height: 16, zoom: 1, rotation: 0)
        let red0 = generator.forward(latent: latent[...])[0]
        XCTAssertEqual(Int(native.pixels[0]), Int(((red0 + 1) * 127.5).rounded()))
    }

    func testBadStylesAreOneLineErrors() throws {
        var style = try Safetensors.read(path: stylePath)
        XCTAssertThrowsError(try ConvGenerator(style: style, file: "s.safetensors", latentDim: 4)) {
            XCTAssertEqual(String(describing: $0), "s.safetensors: not a usable conv style: style latent_dim is 8, controller.latent_dim is 4")
        }
        style.tensors["to_rgb.weight"] = Tensor(shape: [3, 7, 3, 3], data: [Float](repeating: 0, count: 189))
        XCTAssertThrowsError(try ConvGenerator(style: style, file: "s.safetensors", latentDim: 8)) {
            XCTAssertEqual(String(describing: $0), "s.safetensors: not a usable conv style: tensor 'to_rgb.weight' has shape [3, 7, 3, 3], expected [3, 8, 3, 3]")
        }
        var config = TrackConfig().generator
        config.kind = "conv"
        XCTAssertThrowsError(try Generators.make(config: config, latentDim: 8)) { XCTAssertEqual($0 as? GeneratorError, .missingStyle) }
    }

    func testConfigNeedsStyleForConv() throws {
        let dir = NSTemporaryDirectory() + "ntsbuild-conv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let buildfile = """
        album:
          title: T
          tracks:
            - {id: a, audio: a.wav}
        generator: {kind: conv}
        """
        try buildfile.write(toFile: dir + "/Buildfile.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BuildfileLoader.load(path: dir + "/Buildfile.yaml")) {
            XCTAssertTrue(String(describing: $0).contains("generator.kind: conv needs generator.style"), String(describing: $0))
        }
        let ok = try BuildfileLoader.load(path: dir + "/Buildfile.yaml", overrides: Overrides(sets: ["generator.style=conv.safetensors"]))
        XCTAssertEqual(ok.tracks[0].config.generator.style, "conv.safetensors")
        XCTAssertEqual(ok.tracks[0].config.generator.kind, "conv")
    }

    /// A convolution computed a band of rows at a time gives the whole plane's values, for bands
    /// of one row, of several rows with a short last band, and of everything (to rounding: how
    /// sgemm sums depends on the matrix's width).
    func testBandedConvolutionGivesTheValuesOfOneBand() {
        var rng = SeededRandom(seed: 8, stream: 2)
        let (inputs, outputs, size) = (5, 7, 13)
        let layer = ConvLayer(inputs: inputs, outputs: outputs, weight: (0..<(outputs * inputs * 9)).map { _ in rng.nextGaussian() },
                              bias: (0..<outputs).map { _ in rng.nextGaussian() })
        let x = (0..<(inputs * size * size)).map { _ in rng.nextGaussian() }
        let whole = layer.apply(x, size: size, bandFloats: Int.max / 2)
        for rows in [1, 4, 12] {
            let banded = layer.apply(x, size: size, bandFloats: rows * inputs * 9 * size)
            let worst = zip(banded, whole).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .nan
            XCTAssertLessThan(worst, 1e-5, "bands of \(rows) rows")
        }
        // The convolution itself, written out for one output value, so a wrong band offset cannot
        // hide behind two equally wrong results.
        let (o, y, xx) = (3, 12, 0)
        var expected = Double(layer.bias[o])
        for c in 0..<inputs {
            for ky in 0..<3 {
                for kx in 0..<3 {
                    let sy = y + ky - 1, sx = xx + kx - 1
                    guard sy >= 0, sy < size, sx >= 0, sx < size else { continue }
                    expected += Double(layer.weight[o * inputs * 9 + c * 9 + ky * 3 + kx]) * Double(x[c * size * size + sy * size + sx])
                }
            }
        }
        XCTAssertEqual(Double(whole[o * size * size + y * size + xx]), expected, accuracy: 1e-4)
    }
}
