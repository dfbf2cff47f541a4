import Foundation
import XCTest

/// On the demo album, every shipped preset gives a living image: not black, not white, not
/// flat, and changing from frame to frame. Frames come from `ntsbuild still` (the same code
/// as the track videos) at a reduced output size, so the test stays quick.
final class DemoPresetsTests: XCTestCase {
    static let repository = TinyRepository.root

    /// The demo project (Buildfile, audio, presets, anchors, style library) copied to a scratch folder.
    static let project: String = try! TestProject.demo().root

    struct Luma {
        let values: [Double]
        var mean: Double { values.reduce(0, +) / Double(values.count) }
        var spread: Double {
            let m = mean
            return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
        }
        func meanAbsoluteDifference(_ other: Luma) -> Double {
            zip(values, other.values).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(values.count)
        }
    }

    func frame(preset: String, track: String, at seconds: Double) throws -> Luma {
        let name = "\(preset)-\(track)-\(seconds).png"
        let result = try CLI.run(["still", "track:\(track)", "--at", String(seconds), "-o", name, "--preset", preset,
                                  "--set", "output.width=320", "--set", "output.height=180"], in: Self.project)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rgb = [UInt8](try CLI.rgb24(Self.project + "/" + name))
        XCTAssertEqual(rgb.count, 320 * 180 * 3)
        var values: [Double] = []
        for i in stride(from: 0, to: rgb.count - 2, by: 3) {
            let r = Double(rgb[i]), g = Double(rgb[i + 1]), b = Double(rgb[i + 2])
            values.append(0.2126 * r + 0.7152 * g + 0.0722 * b)
        }
        return Luma(values: values)
    }

    func testEveryPresetGivesAVisibleChangingImageOnTheDemoAlbum() throws {
        let presets = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/presets")
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertGreaterThanOrEqual(presets.count, 6)
        for preset in presets {
            for (track, moment) in [("null-hypothesis", 12.0), ("phase-drift", 20.0)] {
                let a = try frame(preset: preset, track: track, at: moment)
                let next = try frame(preset: preset, track: track, at: moment + 1.0 / 30)
                let later = try frame(preset: preset, track: track, at: moment - 7)
                let label = "\(preset) on \(track)"
                for f in [a, later] {
                    XCTAssertGreaterThan(f.mean, 8, "\(label): all black")
                    XCTAssertLessThan(f.mean, 247, "\(label): all white")
                    XCTAssertGreaterThan(f.spread, 10, "\(label): flat frame")
                }
                XCTAssertGreaterThan(a.meanAbsoluteDifference(next), 0.05, "\(label): static from one frame to the next")
                XCTAssertGreaterThan(a.meanAbsoluteDifference(later), 4, "\(label): the image does not evolve over seven seconds")
            }
        }
    }
}
