import Foundation
import XCTest
@testable import Nodes

final class LookTests: XCTestCase {
    // MARK: CPPN

    func makeCPPN(seed: Int = 1, hidden: Int = 32, layers: Int = 4) throws -> CPPN {
        var config = GeneratorConfig()
        config.seed = seed
        config.hidden = hidden
        config.layers = layers
        return try CPPN(config: config, latentDim: 8)
    }

    let latentA = ArraySlice(Controller.seededAnchors(count: 1, dim: 8, seed: 3)[0])
    let latentB = ArraySlice(Controller.seededAnchors(count: 1, dim: 8, seed: 4)[0])

    func testSameSeedRendersIdenticalFrames() throws {
        let a = try makeCPPN(seed: 1).render(latent: latentA, width: 160, height: 90)
        let b = try makeCPPN(seed: 1).render(latent: latentA, width: 160, height: 90)
        XCTAssertEqual(a, b)
    }

    func testConcurrentRenderingGivesTheSameBytes() throws {
        // The scheduler renders shards in parallel with one CPPN value per shard or shared.
        let cppn = try makeCPPN()
        let reference = cppn.render(latent: latentA, width: 200, height: 120)
        let results = UnsafeMutableBufferPointer<RGBImage?>.allocate(capacity: 4)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results[i] = cppn.render(latent: latentA, width: 200, height: 120)
        }
        for r in results { XCTAssertEqual(r, reference) }
    }

    func testDifferentSeedsRenderDifferentFrames() throws {
        let a = try makeCPPN(seed: 1).render(latent: latentA, width: 160, height: 90)
        let b = try makeCPPN(seed: 2).render(latent: latentA, width: 160, height: 90)
        XCTAssertGreaterThan(LookFixtures.meanAbsoluteDifference(a, b), 10)
    }

    func testFramesAreStructuredAndColourful() throws {
        for seed in 1...6 {
            let image = try makeCPPN(seed: seed).render(latent: latentA, width: 320, height: 180)
            let stats = LookFixtures.lumaStats(image)
            XCTAssertGreaterThan(stats.std, 20, "seed \(seed) is too flat")
            XCTAssertGreaterThan(stats.mean, 30, "seed \(seed) is too dark")
            XCTAssertLessThan(stats.mean, 225, "seed \(seed) is too bright")
            XCTAssertGreaterThan(LookFixtures.colourfulness(image), 25, "seed \(seed) is too grey")
        }
    }

    func testLatentVisiblyChangesTheFrame() throws {
        let cppn = try makeCPPN()
        let a = cppn.render(latent: latentA, width: 160, height: 90)
        let b = cppn.render(latent: latentB, width: 160, height: 90)
        XCTAssertGreaterThan(LookFixtures.meanAbsoluteDifference(a, b), 15)
        // A small step gives a small, but visible, change: motion, not flicker.
        var nudged = Array(latentA)
        nudged[0] += 0.05
        let c = cppn.render(latent: ArraySlice(nudged), width: 160, height: 90)
        let small = LookFixtures.meanAbsoluteDifference(a, c)
        XCTAssertGreaterThan(small, 0.1)
        XCTAssertLessThan(small, 6)
    }

    func testPatternIsIndependentOfRenderSize() throws {
        // Same style at two sizes: the downscaled pattern should match (coordinates are size-independent).
        let cppn = try makeCPPN()
        let big = cppn.render(latent: latentA, width: 320, height: 180)
        let small = cppn.render(latent: latentA, width: 160, height: 90)
        var diff = 0.0
        for y in 0..<90 {
            for x in 0..<160 {
                for ch in 0..<3 {
                    let s = Double(small.pixels[(y * 160 + x) * 3 + ch])
                    var b = 0.0
                    for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] { b += Double(big.pixels[((2 * y + dy) * 320 + 2 * x + dx) * 3 + ch]) }
                    diff += abs(s - b / 4)
                }
            }
        }
        XCTAssertLessThan(diff / Double(160 * 90 * 3), 20)
    }

    func testCameraZoomAndRotation() throws {
        let cppn = try makeCPPN()
        let plain = cppn.render(latent: latentA, width: 160, height: 90)
        XCTAssertEqual(plain, cppn.render(latent: latentA, width: 160, height: 90, zoom: 1, rotation: 0))
        let turned = cppn.render(latent: latentA, width: 160, height: 90, zoom: 1, rotation: .pi)
        // A half turn maps pixel (x, y) to (W-1-x, H-1-y) exactly (pixel centres are symmetric).
        var worst = 0
        for y in 0..<90 {
            for x in 0..<160 {
                for ch in 0..<3 {
                    let a = Int(plain.pixels[(y * 160 + x) * 3 + ch])
                    let b = Int(turned.pixels[((89 - y) * 160 + (159 - x)) * 3 + ch])
                    worst = max(worst, abs(a - b))
                }
            }
        }
        XCTAssertLessThanOrEqual(worst, 2)
        let zoomed = cppn.render(latent: latentA, width: 160, height: 90, zoom: 1.5, rotation: 0)
        XCTAssertGreaterThan(LookFixtures.meanAbsoluteDifference(plain, zoomed), 5)
    }

    func testStyleRoundTripsThroughSafetensors() throws {
        let cppn = try makeCPPN(seed: 9, hidden: 16, layers: 3)
        let path = NSTemporaryDirectory() + "look-style-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try cppn.style.serialized().write(to: URL(fileURLWithPath: path))
        var config = GeneratorConfig()
        config.weights = path
        config.hidden = 999   // ignored: the style's metadata wins
        let loaded = try CPPN(config: config, latentDim: 8)
        XCTAssertEqual(loaded.hidden, 16)
        XCTAssertEqual(loaded.layers, 3)
        XCTAssertEqual(loaded.render(latent: latentA, width: 64, height: 36), cppn.render(latent: latentA, width: 64, height: 36))
        XCTAssertThrowsError(try CPPN(config: config, latentDim: 4)) { error in
            XCTAssertTrue("\(error)".contains(path))
        }
        // A file that is not a style at all: one line that names it once.
        try Data("not a style".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CPPN(config: config, latentDim: 8)) { error in
            XCTAssertEqual("\(error)", "\(path): not a usable CPPN style: not a safetensors file")
        }
    }

    func testCPPNRejectsBadConfig() {
        var config = GeneratorConfig()
        config.kind = "conv"
        XCTAssertThrowsError(try CPPN(config: config, latentDim: 8)) { XCTAssertTrue("\($0)".contains("generator.kind")) }
        config = GeneratorConfig()
        config.hidden = 0
        XCTAssertThrowsError(try CPPN(config: config, latentDim: 8)) { XCTAssertTrue("\($0)".contains("generator.hidden")) }
    }

    // MARK: Controller

    func testTrajectoryShapesAndDeterminism() throws {
        let features = LookFixtures.features(fps: 30, seconds: 10)
        let t1 = try LookFixtures.controller(fps: 30).trajectory(features: features)
        let t2 = try LookFixtures.controller(fps: 30).trajectory(features: features)
        XCTAssertEqual(t1.tensors, t2.tensors)
        XCTAssertEqual(t1.tensors["latent"]?.shape, [300, 8])
        for name in Controller.curveNames { XCTAssertEqual(t1.tensors[name]?.shape, [300], name) }
        for (name, t) in t1.tensors { XCTAssertTrue(t.data.allSatisfy { $0.isFinite }, "\(name) has non-finite values") }
        let other = try LookFixtures.controller(fps: 30) { $0.wanderSeed = 7 }.trajectory(features: features)
        XCTAssertNotEqual(other.tensors["latent"], t1.tensors["latent"])
        // Serialises and parses back (the node writes it as safetensors).
        let parsed = try Safetensors.parse(t1.serialized(), file: "trajectory")
        XCTAssertEqual(parsed.tensors, t1.tensors)
    }

    func meanStep(_ latent: Tensor, from: Int = 1, to: Int? = nil) -> Float {
        let end = to ?? latent.shape[0]
        var total: Float = 0
        for i in max(from, 1)..<end { total += LookFixtures.distance(LookFixtures.row(latent, i), LookFixtures.row(latent, i - 1)) }
        return total / Float(end - max(from, 1))
    }

    func testSilenceGivesNearStillLatents() throws {
        let silent = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 10, silent: true))
        let music = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 10))
        let still = meanStep(silent.tensors["latent"]!)
        let moving = meanStep(music.tensors["latent"]!)
        XCTAssertLessThan(still, 0.005)
        XCTAssertGreaterThan(moving, 20 * still)
        XCTAssertGreaterThan(moving, 0.01)
        for name in ["zoom", "contrast"] {
            XCTAssertEqual(silent.tensors[name]!.data.max()!, 1, accuracy: 1e-6)
        }
        XCTAssertEqual(silent.tensors["flash"]!.data.max()!, 0)
    }

    func testOnsetsGiveBiggerFrameToFrameChange() throws {
        // Between the fixture's chord changes (every 2 s), so only the onsets differ.
        let onsets = stride(from: 1.25, to: 10.0, by: 0.5).map { $0 }
        let calm = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 10, beatsPerMinute: nil))
        let hits = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 10, beatsPerMinute: nil, onsetTimes: onsets))
        let calmLatent = calm.tensors["latent"]!, hitLatent = hits.tensors["latent"]!
        // At each onset the latent jumps: the largest step around it is much bigger than at the
        // same moment without the onset. (Sums over long windows would compare different wander
        // phases, so the peaks are compared.)
        var withOnset: Float = 0, without: Float = 0
        for o in onsets {
            let i = Int(o * 30)
            var a: Float = 0, b: Float = 0
            for j in (i - 1)..<(i + 3) {
                a = max(a, LookFixtures.distance(LookFixtures.row(hitLatent, j + 1), LookFixtures.row(hitLatent, j)))
                b = max(b, LookFixtures.distance(LookFixtures.row(calmLatent, j + 1), LookFixtures.row(calmLatent, j)))
            }
            withOnset += a
            without += b
        }
        XCTAssertGreaterThan(withOnset, 2 * without)
        // And each onset shows up in the flash curve.
        XCTAssertGreaterThan(hits.tensors["flash"]!.data[Int(1.25 * 30) + 1], 0.05)
    }

    func testAccentsFlashFullyAndSteadyHitsGently() throws {
        // Quiet for 2 s, then loud from an onset at exactly t = 2 s (frame 60): an accent.
        var features = LookFixtures.features(fps: 30, seconds: 10, beatsPerMinute: nil, onsetTimes: [2.0, 9.0])
        features.tensors["rms_norm"] = Tensor(shape: [300], data: (0..<300).map { $0 < 60 ? 0.1 : 0.9 })
        let flash = try LookFixtures.controller(fps: 30).trajectory(features: features).tensors["flash"]!.data
        XCTAssertGreaterThan(flash[60], 0.9)
        XCTAssertLessThan(flash[50], 0.01)
        // The second onset, after 7 s of steady loudness, flashes only gently.
        XCTAssertGreaterThan(flash[270], 0.2)
        XCTAssertLessThan(flash[270], 0.5)
        // The flash decays with its 0.12 s time constant.
        XCTAssertEqual(flash[60 + 4], flash[60] * Float(exp(-4.0 / 30 / 0.12)), accuracy: 0.02)
    }

    func testPulseDoesNotAccumulate() throws {
        // Pulse on vs off: the difference is large during hits and returns to ~0 after the drums stop.
        let onsets = stride(from: 1.0, to: 5.0, by: 0.25).map { $0 }
        let features = LookFixtures.features(fps: 30, seconds: 8, beatsPerMinute: nil, onsetTimes: onsets)
        var noPercussion = features
        noPercussion.tensors["percussive_norm"] = Tensor(shape: [240], data: [Float](repeating: 0, count: 240))
        let with = try LookFixtures.controller(fps: 30) { $0.pulse = 1 }.trajectory(features: features).tensors["latent"]!
        let without = try LookFixtures.controller(fps: 30) { $0.pulse = 1 }.trajectory(features: noPercussion).tensors["latent"]!
        var during: Float = 0
        for i in 30..<150 { during = max(during, LookFixtures.distance(LookFixtures.row(with, i), LookFixtures.row(without, i))) }
        let after = LookFixtures.distance(LookFixtures.row(with, 235), LookFixtures.row(without, 235))
        XCTAssertGreaterThan(during, 0.5)
        // Percussive stays at its 0.2 floor after the hits, so a small offset remains; no build-up.
        XCTAssertLessThan(after, 0.5 * during)
    }

    func testMotionStaysBounded() throws {
        let features = LookFixtures.features(fps: 30, seconds: 120)
        let latent = try LookFixtures.controller(fps: 30) { $0.motion = 5 }.trajectory(features: features).tensors["latent"]!
        XCTAssertLessThan(latent.data.map(abs).max()!, 8)
    }

    func testFrameRateIndependence() throws {
        let seconds = 20.0
        let t30 = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: seconds))
        let t60 = try LookFixtures.controller(fps: 60).trajectory(features: LookFixtures.features(fps: 60, seconds: seconds))
        let l30 = t30.tensors["latent"]!, l60 = t60.tensors["latent"]!
        var worst: Float = 0, spread: Float = 0
        for i in 0..<l30.shape[0] {
            let a = LookFixtures.row(l30, i), b = LookFixtures.row(l60, 2 * i)
            worst = max(worst, LookFixtures.distance(a, b))
            spread = max(spread, LookFixtures.distance(a, LookFixtures.row(l30, 0)))
        }
        // Same path at the same times: differences are a small fraction of how far the latent travels.
        XCTAssertLessThan(worst, 0.1 * spread, "worst \(worst), spread \(spread)")
        for name in ["zoom", "rotation", "hue", "contrast"] {
            let a = t30.tensors[name]!.data, b = t60.tensors[name]!.data
            var w: Float = 0
            for i in 0..<a.count { w = max(w, abs(a[i] - b[2 * i])) }
            XCTAssertLessThan(w, 0.08, name)
        }
        // A naive per-frame EMA would move twice as fast at 60 fps: check the overall pace agrees.
        let travel30 = meanStep(l30) * 30, travel60 = meanStep(l60) * 60
        XCTAssertEqual(travel60 / travel30, 1, accuracy: 0.15)
    }

    func testMissingAndMalformedFeatures() throws {
        var features = LookFixtures.features(fps: 30, seconds: 2)
        features.tensors["flatness_norm"] = nil
        features.tensors["beats"] = nil
        features.tensors["tempo"] = nil
        XCTAssertNoThrow(try LookFixtures.controller(fps: 30).trajectory(features: features))
        features.tensors["rms_norm"]!.data[3] = .nan
        features.tensors["onset_norm"]!.data[4] = .infinity
        let t = try LookFixtures.controller(fps: 30).trajectory(features: features)
        XCTAssertTrue(t.tensors["latent"]!.data.allSatisfy { $0.isFinite })
        features.tensors["chroma"] = nil
        XCTAssertThrowsError(try LookFixtures.controller(fps: 30).trajectory(features: features)) {
            XCTAssertEqual($0 as? ControllerError, .missingFeature(name: "chroma"))
        }
        var short = LookFixtures.features(fps: 30, seconds: 2)
        short.tensors["harmonic_norm"] = Tensor(shape: [3], data: [0, 0, 0])
        XCTAssertThrowsError(try LookFixtures.controller(fps: 30).trajectory(features: short)) {
            XCTAssertTrue("\($0)".contains("harmonic_norm"))
        }
        // Empty table: an empty trajectory, not a crash.
        let empty = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 0))
        XCTAssertEqual(empty.tensors["latent"]?.shape, [0, 8])
    }

    // MARK: Anchors

    func testAnchorFile() throws {
        let dir = NSTemporaryDirectory() + "look-anchors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/meta.json"
        try """
        {"format": "ntsbuild-anchors/1", "default": "main",
         "sets": {"main": {"seed": 7, "count": 5}, "two": {"latents": [[1, 0, 0], [0, 1, 0]]}}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let main = try Controller.loadAnchors(path: path, dim: 8)
        XCTAssertEqual(main, Controller.seededAnchors(count: 5, dim: 8, seed: 7))
        XCTAssertEqual(try Controller.loadAnchors(path: path + "#two", dim: 3), [[1, 0, 0], [0, 1, 0]])
        XCTAssertThrowsError(try Controller.loadAnchors(path: path + "#two", dim: 8)) { XCTAssertTrue("\($0)".contains(path)) }
        XCTAssertThrowsError(try Controller.loadAnchors(path: path + "#nope", dim: 8)) { XCTAssertTrue("\($0)".contains("nope")) }
        XCTAssertThrowsError(try Controller.loadAnchors(path: dir + "/missing.json", dim: 8)) { XCTAssertTrue("\($0)".contains("missing.json")) }
        try "{\"sets\": {}}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Controller.loadAnchors(path: path, dim: 8)) { XCTAssertTrue("\($0)".contains("default")) }
    }

    func testRepositoryAnchorFileLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("models/meta.json").path
        let anchors = try Controller.loadAnchors(path: path, dim: 8)
        XCTAssertGreaterThanOrEqual(anchors.count, 2)
    }

    // MARK: PostFX

    func testPostFXIsDeterministicAndGrainIsOrderIndependent() throws {
        let frame = try makeCPPN().render(latent: latentA, width: 160, height: 90)
        var config = PostFXConfig()
        config.grain = 0.5
        config.chromaShift = 1
        config.flash = 0.5
        let curves = FrameCurves(zoom: 1, rotation: 0, hue: 0.2, flash: 0.7, contrast: 1.2)
        var fx1 = try PostFX(config: config, seed: 3, fps: 30), fx2 = try PostFX(config: config, seed: 3, fps: 30)
        var a = frame, b = frame
        fx1.apply(&a, frame: 10, curves: curves)
        // fx2 sees other frames first: without trails the result must not change.
        var scratch = frame
        fx2.apply(&scratch, frame: 3, curves: .neutral)
        fx2.apply(&b, frame: 10, curves: curves)
        XCTAssertEqual(a, b)
        var c = frame
        fx1.apply(&c, frame: 11, curves: curves)
        XCTAssertNotEqual(a, c, "grain should differ between frames")
        var fx3 = try PostFX(config: config, seed: 4, fps: 30)
        var d = frame
        fx3.apply(&d, frame: 10, curves: curves)
        XCTAssertNotEqual(a, d, "grain should follow the seed")
    }

    func testToneCurvesAndErrors() throws {
        var config = PostFXConfig()
        config.toneCurve = "sepia"
        XCTAssertThrowsError(try PostFX(config: config, seed: 0, fps: 30)) { XCTAssertTrue("\($0)".contains("postfx.tone_curve")) }
        config = PostFXConfig()
        config.vignette = -1
        XCTAssertThrowsError(try PostFX(config: config, seed: 0, fps: 30)) { XCTAssertTrue("\($0)".contains("postfx.vignette")) }
        // Linear with nothing else is the identity.
        config = PostFXConfig()
        config.toneCurve = "linear"
        config.vignette = 0
        let frame = try makeCPPN().render(latent: latentA, width: 64, height: 36)
        var fx = try PostFX(config: config, seed: 0, fps: 30)
        var same = frame
        fx.apply(&same, frame: 0, curves: .neutral)
        XCTAssertEqual(same, frame)
        // Every curve is monotonic and stays in range.
        for curve in ToneCurve.allCases {
            let t = curve.table()
            for ch in 0..<3 { for i in 1..<256 { XCTAssertGreaterThanOrEqual(t[ch * 256 + i], t[ch * 256 + i - 1], "\(curve)") } }
        }
        // The curves look different from each other.
        var outputs: [RGBImage] = []
        for curve in ToneCurve.allCases {
            config.toneCurve = curve.rawValue
            var fx = try PostFX(config: config, seed: 0, fps: 30)
            var img = frame
            fx.apply(&img, frame: 0, curves: .neutral)
            outputs.append(img)
        }
        for i in 0..<outputs.count { for j in (i + 1)..<outputs.count { XCTAssertGreaterThan(LookFixtures.meanAbsoluteDifference(outputs[i], outputs[j]), 3) } }
    }

    func testTrailsDecayAtTheSameRateAtAnyFrameRate() throws {
        // A white frame followed by black frames: after 0.1 s the trail should be equally faded at 30 and 60 fps.
        var config = PostFXConfig()
        config.toneCurve = "linear"
        config.vignette = 0
        config.trails = true
        func residual(fps: Int) throws -> Double {
            var fx = try PostFX(config: config, seed: 0, fps: fps)
            var white = RGBImage(width: 8, height: 8, pixels: [UInt8](repeating: 255, count: 192))
            fx.apply(&white, frame: 0, curves: .neutral)
            var last = RGBImage(width: 8, height: 8)
            for i in 1...(fps / 10) {
                last = RGBImage(width: 8, height: 8)
                fx.apply(&last, frame: i, curves: .neutral)
            }
            return Double(last.pixels[0])
        }
        let r30 = try residual(fps: 30), r60 = try residual(fps: 60)
        XCTAssertGreaterThan(r30, 10)
        XCTAssertEqual(r30, r60, accuracy: 3)
    }

    func testFrameCurvesFromTrajectory() throws {
        let t = try LookFixtures.controller(fps: 30).trajectory(features: LookFixtures.features(fps: 30, seconds: 2))
        let c = FrameCurves(trajectory: t, frame: 10)
        XCTAssertEqual(c.zoom, t.tensors["zoom"]!.data[10])
        XCTAssertEqual(c.hue, t.tensors["hue"]!.data[10])
        XCTAssertEqual(FrameCurves(trajectory: Safetensors(), frame: 3), .neutral)
        XCTAssertEqual(FrameCurves(trajectory: t, frame: 10_000), .neutral)
    }
}
