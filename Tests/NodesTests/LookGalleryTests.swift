import Foundation
import XCTest
@testable import Nodes

/// Writes sample frames to /tmp/look-gallery (PPM) for a human to look at, and measures
/// render/post-effect time (meaningful only in release builds).
final class LookGalleryTests: XCTestCase {
    let directory = "/tmp/look-gallery"

    func testWriteGallery() throws {
        let features = LookFixtures.features(fps: 30, seconds: 12)
        let trajectory = try LookFixtures.controller(fps: 30).trajectory(features: features)
        let latent = trajectory.tensors["latent"]!
        for seed in 1...6 {
            var config = GeneratorConfig()
            config.seed = seed
            let cppn = try CPPN(config: config, latentDim: 8)
            for frame in [0, 150, 152, 300] {
                let curves = FrameCurves(trajectory: trajectory, frame: frame)
                var image = cppn.render(latent: latent.row(frame), width: 320, height: 180, zoom: curves.zoom, rotation: curves.rotation)
                LookFixtures.writePPM(image, to: "\(directory)/raw-s\(seed)-f\(frame).ppm")
                var fx = try PostFX(config: PostFXConfig(), seed: 1, fps: 30)
                fx.apply(&image, frame: frame, curves: curves)
                LookFixtures.writePPM(image, to: "\(directory)/fx-s\(seed)-f\(frame).ppm")
            }
        }
    }
}

extension LookGalleryTests {
    /// Prints how much consecutive frames differ over a synthetic track (mean absolute 8-bit
    /// difference per channel), to tune the pace of the controller against the CPPN's sensitivity.
    func testFrameToFramePace() throws {
        let features = LookFixtures.features(fps: 30, seconds: 6, onsetTimes: [3.3])
        let trajectory = try LookFixtures.controller(fps: 30).trajectory(features: features)
        let latent = trajectory.tensors["latent"]!
        let cppn = try CPPN(config: GeneratorConfig(), latentDim: 8)
        var previous: RGBImage?
        var diffs: [Double] = []
        for frame in stride(from: 0, to: latent.shape[0], by: 1) {
            let c = FrameCurves(trajectory: trajectory, frame: frame)
            let image = cppn.render(latent: latent.row(frame), width: 64, height: 36, zoom: c.zoom, rotation: c.rotation)
            if let p = previous { diffs.append(LookFixtures.meanAbsoluteDifference(p, image)) }
            previous = image
            if (90..<96).contains(frame) {
                LookFixtures.writePPM(cppn.render(latent: latent.row(frame), width: 320, height: 180, zoom: c.zoom, rotation: c.rotation),
                                      to: "\(directory)/seq-\(frame).ppm")
            }
        }
        let sorted = diffs.sorted()
        print(String(format: "LOOK PACE: median %.2f, p90 %.2f, max %.2f, mean %.2f", sorted[sorted.count / 2], sorted[sorted.count * 9 / 10], sorted.last!, diffs.reduce(0, +) / Double(diffs.count)))
    }
}
