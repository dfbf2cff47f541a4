import Foundation
import XCTest
@testable import Nodes

/// `still`: time parsing, the frame on screen at a time, and the trail warm-up.
final class LookStillTests: XCTestCase {
    func testParsesSecondsAndMinutes() throws {
        XCTAssertEqual(try StillFrame.parseTime("83.5"), 83.5)
        XCTAssertEqual(try StillFrame.parseTime("1:23.5"), 83.5)
        XCTAssertEqual(try StillFrame.parseTime("0:00"), 0)
        XCTAssertEqual(try StillFrame.parseTime("1:01:02"), 3662)
        for bad in ["", "abc", "1:75", "-3", "1.5:20", "1:2:3:4", "nan", "1:"] {
            XCTAssertThrowsError(try StillFrame.parseTime(bad), bad) { error in
                XCTAssertEqual(error as? StillError, .badTime(bad))
            }
        }
    }

    func testFrameShownAtTime() throws {
        XCTAssertEqual(try StillFrame.frame(at: 0, fps: 30, frames: 90, trackID: "t"), 0)
        XCTAssertEqual(try StillFrame.frame(at: 1.5, fps: 30, frames: 90, trackID: "t"), 45)
        XCTAssertEqual(try StillFrame.frame(at: 1.0 / 30 - 1e-4, fps: 30, frames: 90, trackID: "t"), 0)
        XCTAssertEqual(try StillFrame.frame(at: 2.999, fps: 30, frames: 90, trackID: "t"), 89)
        XCTAssertThrowsError(try StillFrame.frame(at: 3.0, fps: 30, frames: 90, trackID: "t")) { error in
            XCTAssertEqual(String(describing: error), "still: --at 3.000 s is beyond the end of track:t (3.000 s long)")
        }
    }

    /// A frame with trails, rendered from the warm-up window, equals the same frame of a pass
    /// over the whole track (which is what the track node encodes).
    func testTrailWarmUpMatchesWholeTrackPass() throws {
        var config = TrackConfig()
        config.output = OutputConfig(width: 48, height: 32, fps: 30)
        config.postfx.trails = true
        config.postfx.grain = 0.3
        config.postfx.flash = 0.5
        let generator = try CPPN(config: GeneratorConfig(), latentDim: 8)
        let anchors = Controller.seededAnchors(count: 90, dim: 8, seed: 5)
        func render(_ f: Int) -> RGBImage { generator.render(latent: ArraySlice(anchors[f]), width: 24, height: 16) }
        func curves(_ f: Int) -> FrameCurves { FrameCurves(hue: Float(f) * 0.01, flash: f % 7 == 0 ? 1 : 0, contrast: 1 + Float(f % 5) * 0.1) }

        var finisher = try FrameFinisher(config: config)
        XCTAssertGreaterThan(finisher.history, 20)
        XCTAssertLessThan(finisher.history, 90 - 5)
        var whole: [RGBImage] = []
        for f in 0..<90 { whole.append(try finisher.finish(render(f), frame: f, curves: curves(f))) }
        for f in [0, 3, 60, 89] {
            let still = try StillFrame.finish(frame: f, config: config, curves: curves, render: render)
            XCTAssertEqual(still, whole[f], "frame \(f)")
            XCTAssertEqual(still.width, 48)
        }
        // Without the warm-up the trail is missing: the test can tell the difference.
        var fresh = try FrameFinisher(config: config)
        XCTAssertNotEqual(try fresh.finish(render(60), frame: 60, curves: curves(60)), whole[60])
    }
}
