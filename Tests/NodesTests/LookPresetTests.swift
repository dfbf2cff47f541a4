import Foundation
import XCTest
import Yams
@testable import Nodes

/// The shipped presets: only known keys, valid values, and each one visibly its own look.
final class LookPresetTests: XCTestCase {
    static let names = ["drift", "pulse", "fracture", "nocturne", "surge", "lumen", "masonry"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The default configuration as a snake_case dictionary (the Buildfile's spelling).
    static func defaults() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: encoder.encode(TrackConfig())) as! [String: Any]
    }

    /// Defaults overridden by the preset, decoded back into the typed sections.
    static func config(_ name: String) throws -> TrackConfig {
        let path = root.appendingPathComponent("presets/\(name).yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let preset = try Yams.load(yaml: text) as? [String: Any] else {
            throw NSError(domain: "preset \(name) is not a mapping", code: 1)
        }
        var merged = try defaults()
        for (section, value) in preset {
            guard var target = merged[section] as? [String: Any] else {
                throw NSError(domain: "\(path): unknown section '\(section)'", code: 2)
            }
            guard let values = value as? [String: Any] else { throw NSError(domain: "\(path): '\(section)' is not a mapping", code: 3) }
            for (key, v) in values {
                // Keys whose default is nil are absent from the encoded defaults; the schema knows them.
                guard target.keys.contains(key) || ConfigSchema.types["\(section).\(key)"] != nil else {
                    throw NSError(domain: "\(path): unknown key '\(section).\(key)'", code: 4)
                }
                target[key] = v
            }
            merged[section] = target
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var config = try decoder.decode(TrackConfig.self, from: JSONSerialization.data(withJSONObject: merged))
        // Style files are relative to the project (the repository), not to the test's working directory.
        config.generator.weights = config.generator.weights.map { root.appendingPathComponent($0).path }
        return config
    }

    /// The preset's palette, if it has one.
    static func palette(_ config: TrackConfig) throws -> Palette? {
        try config.look.palette.map(PaletteSource.parse)
    }

    func testPresetsUseOnlyKnownKeysAndValidValues() throws {
        for name in Self.names {
            let config = try Self.config(name)
            XCTAssertNoThrow(try PostFX(config: config.postfx, seed: 1, fps: 30), name)
            XCTAssertNoThrow(try CPPN(config: config.generator, latentDim: config.controller.latentDim), name)
            XCTAssertNotEqual(config.generator, GeneratorConfig(), "\(name) should pick its own style")
        }
    }

    /// Renders each preset through the whole look (controller → CPPN with camera → post-effects)
    /// at the same moment of the same synthetic track, writes it for a human to check, and
    /// requires every pair of presets to differ clearly.
    func testPresetsLookDifferent() throws {
        let features = LookFixtures.features(fps: 30, seconds: 6, onsetTimes: [4.9])
        var frames: [String: RGBImage] = [:]
        for name in Self.names {
            var config = try Self.config(name)
            config.output.width = 240  // the finisher then only maps the palette and applies post-effects
            config.output.height = 135
            var controllerConfig = config.controller
            controllerConfig.anchors = nil
            let anchors = try Controller.loadAnchors(path: Self.root.appendingPathComponent("models/meta.json").path, dim: controllerConfig.latentDim)
            let trajectory = try Controller(config: controllerConfig, anchors: anchors, fps: 30).trajectory(features: features)
            let cppn = try CPPN(config: config.generator, latentDim: controllerConfig.latentDim)
            var finisher = try FrameFinisher(config: config, palette: try Self.palette(config))
            var image = RGBImage(width: 1, height: 1)
            // Run a few frames so trails have history.
            for frame in 145...150 {
                let curves = FrameCurves(trajectory: trajectory, frame: frame)
                image = cppn.render(latent: trajectory.tensors["latent"]!.row(frame), width: 240, height: 135,
                                    zoom: curves.zoom, rotation: curves.rotation)
                image = try finisher.finish(image, frame: frame, curves: curves)
            }
            XCTAssertGreaterThan(LookFixtures.lumaStats(image).std, 12, name)
            frames[name] = image
        }
        for (i, a) in Self.names.enumerated() {
            for b in Self.names[(i + 1)...] {
                XCTAssertGreaterThan(LookFixtures.meanAbsoluteDifference(frames[a]!, frames[b]!), 20, "\(a) vs \(b)")
            }
        }
    }
}
