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
}
