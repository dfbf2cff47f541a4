import Foundation
import XCTest
@testable import Nodes

/// Agreement with librosa on music: excerpts of the demo album and of free game music from Debian
/// packages (Fixtures/README.md), with reference values
/// from `scripts/librosa_reference.py` (committed in Fixtures/). Our frames are librosa's frames
/// when the hop is an integer, so values are compared frame by frame, by correlation.
final class FeaturesLibrosaTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Reference: Decodable {
        var sample_rate: Int
        var fps: Int
        var frames_librosa: Int
        var tuning: Double
        var tempo: Double
        var beats: [Int]
        var tempo_same_frames: Double
        var beats_same_frames: [Int]
        var rms: [Float], centroid: [Float], rolloff: [Float], flatness: [Float], onset: [Float]
        var harmonic: [Float], percussive: [Float]
        var mel: [[Float]], mfcc: [[Float]], chroma: [[Float]]
    }

    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = min(a.count, b.count)
        guard n > 1 else { return 1 }
        let x = a.prefix(n).map(Double.init), y = b.prefix(n).map(Double.init)
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        if sxx == 0 && syy == 0 { return 1 }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Column `c` of a frame-major 2-D array, first `n` rows.
    static func column(_ rows: [[Float]], _ c: Int, _ n: Int) -> [Float] { rows.prefix(n).map { $0[c] } }
    static func column(_ t: Tensor, _ c: Int, _ n: Int) -> [Float] { (0..<n).map { t.data[$0 * t.shape[1] + c] } }

    func compare(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = FeaturesLibrosaTests.fixtures.appendingPathComponent(name + ".librosa.json")
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let st = try extract(FeaturesLibrosaTests.fixtures.appendingPathComponent(name + ".flac").path, fps: ref.fps)
        let n = min(st.tensors["rms"]!.shape[0], ref.frames_librosa)
        var report = "\(name) (\(ref.sample_rate) Hz, \(ref.fps) fps, \(n) frames):"
        func check(_ label: String, _ r: Double, _ minimum: Double) {
            report += String(format: " %@ %.6f", label, r)
            XCTAssertGreaterThanOrEqual(r, minimum, "\(name): \(label) correlation", file: file, line: line)
        }
        for (feature, minimum) in [("rms", 0.99), ("centroid", 0.99), ("rolloff", 0.99), ("flatness", 0.99),
                                    ("onset", 0.95), ("harmonic", 0.99), ("percussive", 0.99)] {
            let ours = Array(st.values(feature).prefix(n))
            let theirs: [Float] = Mirror(reflecting: ref).children.first { $0.label == feature }!.value as! [Float]
            check(feature, FeaturesLibrosaTests.correlation(ours, Array(theirs.prefix(n))), minimum)
        }
        // Mel: every band (power), and the whole spectrogram in dB.
        let mel = st.tensors["mel"]!
        var worstMel = 1.0
        for b in 0..<mel.shape[1] {
            worstMel = min(worstMel, FeaturesLibrosaTests.correlation(FeaturesLibrosaTests.column(mel, b, n), FeaturesLibrosaTests.column(ref.mel, b, n)))
        }
        check("mel(worst band)", worstMel, 0.99)
        let mfcc = st.tensors["mfcc"]!
        var worstMfcc = 1.0
        for c in 0..<13 {
            worstMfcc = min(worstMfcc, FeaturesLibrosaTests.correlation(FeaturesLibrosaTests.column(mfcc, c, n), FeaturesLibrosaTests.column(ref.mfcc, c, n)))
        }
        check("mfcc(worst coefficient)", worstMfcc, 0.98)
        let chroma = st.tensors["chroma"]!
        check("chroma", FeaturesLibrosaTests.correlation(Array(chroma.data.prefix(n * 12)), ref.chroma.prefix(n).flatMap { $0 }), 0.99)
        var worstChroma = 1.0
        for c in 0..<12 {
            worstChroma = min(worstChroma, FeaturesLibrosaTests.correlation(FeaturesLibrosaTests.column(chroma, c, n), FeaturesLibrosaTests.column(ref.chroma, c, n)))
        }
        report += String(format: " chroma(worst class) %.4f", worstChroma)

        XCTAssertEqual(Double(st.metadata["tuning"]!)!, ref.tuning, accuracy: 0.011, "\(name): chroma tuning", file: file, line: line)
        let tempo = Double(st.values("tempo")[0])
        report += String(format: " tempo %.1f/%.1f", tempo, ref.tempo_same_frames)
        XCTAssertEqual(tempo, ref.tempo_same_frames, accuracy: 0.02 * ref.tempo_same_frames, "\(name): tempo within 2 %", file: file, line: line)
        // Beats: librosa's tracker run on the same number of frames (its own frame count is one
        // more, which can move the last beat and so the phase of all of them). Scored as beat
        // trackers are (mir_eval): one-to-one matches within ±70 ms, F = 2PR / (P + R).
        let beatValues = st.values("beats")
        let ours = beatValues.indices.filter { beatValues[$0] == 1 }.map { Double($0) / Double(ref.fps) }
        let theirs = ref.beats_same_frames.map { Double($0) / Double(ref.fps) }
        let f = FeaturesLibrosaTests.beatFMeasure(estimated: ours, reference: theirs, tolerance: 0.07)
        let fOwnFrames = FeaturesLibrosaTests.beatFMeasure(estimated: ours, reference: ref.beats.map { Double($0) / Double(ref.fps) }, tolerance: 0.07)
        report += String(format: " beats F %.3f (%d ours, %d librosa; F %.3f against librosa's own frame count)",
                         f, ours.count, theirs.count, fOwnFrames)
        XCTAssertGreaterThanOrEqual(f, 0.9, "\(name): beat F-measure", file: file, line: line)
        print(report)
    }

    /// mir_eval's beat F-measure: each reference beat matches at most one estimated beat within
    /// `tolerance` seconds (greedy in time order, which is optimal for sorted beats on a line).
    static func beatFMeasure(estimated: [Double], reference: [Double], tolerance: Double) -> Double {
        if estimated.isEmpty && reference.isEmpty { return 1 }
        guard !estimated.isEmpty, !reference.isEmpty else { return 0 }
        var matches = 0, i = 0, j = 0
        let e = estimated.sorted(), r = reference.sorted()
        while i < e.count && j < r.count {
            if abs(e[i] - r[j]) <= tolerance { matches += 1; i += 1; j += 1 }
            else if e[i] < r[j] { i += 1 } else { j += 1 }
        }
        let precision = Double(matches) / Double(e.count), recall = Double(matches) / Double(r.count)
        return matches == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    func testBeatFMeasure() {
        let ref = [1.0, 1.5, 2.0, 2.5]
        XCTAssertEqual(Self.beatFMeasure(estimated: ref, reference: ref, tolerance: 0.07), 1)
        // Off by 60 ms still matches; off by 80 ms does not.
        XCTAssertEqual(Self.beatFMeasure(estimated: ref.map { $0 + 0.06 }, reference: ref, tolerance: 0.07), 1)
        XCTAssertEqual(Self.beatFMeasure(estimated: ref.map { $0 + 0.08 }, reference: ref, tolerance: 0.07), 0)
        // Double-time estimates: precision 1/2, recall 1 → F = 2/3.
        let doubled = ref + ref.map { $0 + 0.25 }
        XCTAssertEqual(Self.beatFMeasure(estimated: doubled, reference: ref, tolerance: 0.07), 2.0 / 3, accuracy: 1e-12)
        // One estimate cannot match two references.
        XCTAssertEqual(Self.beatFMeasure(estimated: [1.0], reference: [0.98, 1.02], tolerance: 0.07), 2.0 / 3, accuracy: 1e-12)
    }

    // The demo album (synthetic but musical).
    func testAgreementAt22kHz30fps() throws { try compare("excerpt-22k") }
    func testAgreementAt44kHz60fps() throws { try compare("excerpt-44k") }
    // Real music from Debian packages (provenance in Fixtures/README.md).
    func testAgreementOnTecnoballzTrackerMusic() throws { try compare("tecnoballz-22k") }
    func testAgreementOnAscMachineWarsMP3At25fps() throws { try compare("asc-machine-wars-22k") }
    func testAgreementOnTomatoesTrackerMusic() throws { try compare("tomatoes-22k") }
}
