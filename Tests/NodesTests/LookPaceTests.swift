import Foundation
import XCTest
@testable import Nodes

/// The pace of the picture: how much consecutive frames differ (mean absolute 8-bit difference
/// per channel) when the controller drives the CPPN over a synthetic track with beats and one
/// strong onset. The controller's constants are tuned against the CPPN's sensitivity; this pins
/// the result of that tuning. (To look at frames instead: scripts/look_gallery.sh.)
final class LookPaceTests: XCTestCase {
    static let onsetSeconds = 3.3

    /// Frame-to-frame changes of the raw CPPN frames (64×36) of a 6-s track at 30 fps.
    func changes() throws -> [Double] {
        let features = LookFixtures.features(fps: 30, seconds: 6, onsetTimes: [Self.onsetSeconds])
        let trajectory = try LookFixtures.controller(fps: 30).trajectory(features: features)
        let latent = trajectory.tensors["latent"]!
        let cppn = try CPPN(config: GeneratorConfig(), latentDim: 8)
        var previous: RGBImage?
        var changes: [Double] = []
        for frame in 0..<latent.shape[0] {
            let c = FrameCurves(trajectory: trajectory, frame: frame)
            let image = cppn.render(latent: latent.row(frame), width: 64, height: 36, zoom: c.zoom, rotation: c.rotation)
            if let p = previous { changes.append(LookFixtures.meanAbsoluteDifference(p, image)) }
            previous = image
        }
        return changes
    }

    func testFramesMoveGentlyAndJumpOnTheOnset() throws {
        let changes = try changes()
        let sorted = changes.sorted()
        let median = sorted[sorted.count / 2], p90 = sorted[sorted.count * 9 / 10]
        // changes[i] is the change from frame i to frame i + 1; the onset lands on frame 99.
        let onsetFrame = Int(Self.onsetSeconds * 30)
        let atOnset = changes[(onsetFrame - 2)...(onsetFrame + 1)].max()!
        // Measured: median 2.98, p90 4.48, 11.98 at the onset (all levels of 255).
        XCTAssertGreaterThan(median, 1, "the picture keeps moving between hits")
        XCTAssertLessThan(median, 6, "but gently")
        XCTAssertLessThan(p90, 8, "no strobing: nine frames in ten are close to the one before")
        XCTAssertGreaterThan(atOnset, 2 * p90, "the onset is a jump that stands out")
    }
}
